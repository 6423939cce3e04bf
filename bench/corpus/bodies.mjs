// Code-body generators for the synthetic monorepo: realistic TypeScript/TSX/JS text built from
// seeded choices. Every function takes the file's PRNG and returns an array of lines.

const WORDS = [
  'user',
  'room',
  'message',
  'session',
  'token',
  'channel',
  'presence',
  'queue',
  'event',
  'payload',
  'socket',
  'cache',
  'metric',
  'invoice',
  'search',
  'profile',
  'avatar',
  'upload',
  'media',
  'thread',
  'reply',
  'reaction',
  'notification',
  'digest',
  'audit',
  'policy',
  'role',
  'permission',
  'tenant',
  'workspace',
  'draft',
  'schedule',
  'webhook',
  'retry',
  'backoff',
  'stream',
  'chunk',
  'cursor',
  'page',
  'filter',
  'locale',
  'theme',
  'feature',
  'flag',
  'experiment',
  'billing',
  'plan',
  'quota',
  'limit',
  'snapshot',
  'delta',
  'sync',
  'batch',
  'job',
  'worker',
  'signal',
  'device',
  'origin',
  'region',
];
const VERBS = [
  'load',
  'save',
  'resolve',
  'build',
  'apply',
  'merge',
  'validate',
  'format',
  'parse',
  'emit',
  'collect',
  'schedule',
  'flush',
  'compute',
  'normalize',
  'refresh',
  'publish',
  'subscribe',
  'track',
  'sync',
];
const PRIMS = [
  'string',
  'number',
  'boolean',
  'Date',
  'string[]',
  'number | null',
  'Record<string, unknown>',
  'ReadonlyArray<string>',
  'Map<string, number>',
  'Set<string>',
];

export const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const pascal = (...parts) => parts.map(cap).join('');
export const camel = (first, ...rest) => first + rest.map(cap).join('');
export { WORDS, VERBS };

function word(r) {
  return r.pick(WORDS);
}
/** A field or parameter type: primitives and built-ins only (the corpus type-checks as real code does). */
function type(r) {
  return r.pick(PRIMS);
}

export function interfaceBlock(r, name) {
  const out = [`export interface ${name} {`];
  const n = r.range(4, 16);
  const seen = new Set();
  for (let i = 0; i < n; i++) {
    const f = camel(word(r), word(r));
    if (seen.has(f)) continue;
    seen.add(f);
    if (r.chance(0.2)) out.push(`  /** ${cap(word(r))} ${word(r)} of the ${word(r)}. */`);
    out.push(`  ${r.chance(0.15) ? 'readonly ' : ''}${f}${r.chance(0.3) ? '?' : ''}: ${type(r)};`);
  }
  out.push('}', '');
  return out;
}

export function enumBlock(r, name) {
  const out = [`export enum ${name} {`];
  const n = r.range(3, 9);
  const seen = new Set();
  for (let i = 0; i < n; i++) {
    const m = pascal(word(r));
    if (seen.has(m)) continue;
    seen.add(m);
    out.push(`  ${m} = '${m.toUpperCase()}',`);
  }
  out.push('}', '');
  return out;
}

export function typeAliasBlock(r, name) {
  const members = [];
  const n = r.range(2, 6);
  for (let i = 0; i < n; i++) members.push(`{ kind: '${word(r)}'; ${camel(word(r))}: ${type(r)} }`);
  return [
    `export type ${name}<T = unknown> =`,
    ...members.map((m, i) => `  | ${m}${i === members.length - 1 ? ' & { meta?: T };' : ''}`),
    '',
  ];
}

/** The parameter names a body uses (`${input}Input`, `${items}Items`, `${flag}Flag`): the body only names those. */
function paramNames(r) {
  return { input: camel(word(r)), items: camel(word(r)), flag: camel(word(r)) };
}

function statementLines(r, indent, p, depth = 0) {
  const pad = ' '.repeat(indent);
  const out = [];
  const n = r.range(2, 7);
  for (let i = 0; i < n; i++) {
    const k = r.int(depth > 1 ? 4 : 7);
    const v = camel(word(r), word(r));
    if (k === 0) out.push(`${pad}const ${v}${i} = Object.keys(${p.input}Input).length + ${r.int(100)};`);
    else if (k === 1) out.push(`${pad}let ${v}${i} = \`${word(r)}:\${${r.int(10)}}\`;`);
    else if (k === 2) out.push(`${pad}result.push({ key: '${word(r)}', value: ${r.int(1000)} });`);
    else if (k === 3) out.push(`${pad}this.log?.('${VERBS[r.int(VERBS.length)]} ${word(r)}', ${r.int(9)});`);
    else if (k === 4) {
      out.push(`${pad}for (const item of ${p.items}Items) {`);
      out.push(...statementLines(r, indent + 2, p, depth + 1));
      out.push(`${pad}}`);
    } else if (k === 5) {
      out.push(`${pad}if (${p.flag}Flag && result.length > ${r.int(50)}) {`);
      out.push(...statementLines(r, indent + 2, p, depth + 1));
      out.push(`${pad}} else {`, `${pad}  result.length = 0;`, `${pad}}`);
    } else {
      out.push(`${pad}switch (mode) {`);
      const c = r.range(2, 4);
      for (let j = 0; j < c; j++)
        out.push(
          `${pad}  case '${word(r)}${j}':`,
          `${pad}    result.push({ key: '${word(r)}', value: ${j} });`,
          `${pad}    break;`,
        );
      out.push(`${pad}  default:`, `${pad}    break;`, `${pad}}`);
    }
  }
  return out;
}

export function functionBlock(r, name, { ts = true } = {}) {
  const generic = ts && r.chance(0.4);
  const n = paramNames(r);
  const params = ts
    ? `${n.input}Input: ${generic ? 'T' : type(r).includes('|') ? 'Record<string, unknown>' : `Partial<Record<string, ${type(r)}>>`}, ${n.items}Items: ReadonlyArray<${generic ? 'T' : 'unknown'}> = [], ${n.flag}Flag = false, mode: string = 'default'`
    : `${n.input}Input, ${n.items}Items = [], ${n.flag}Flag = false, mode = 'default'`;
  const out = [];
  if (r.chance(0.3)) out.push('/**', ` * ${cap(VERBS[r.int(VERBS.length)])}s the ${word(r)} ${word(r)}.`, ' */');
  const isAsync = r.chance(0.3);
  out.push(
    `export ${isAsync ? 'async ' : ''}function ${name}${generic ? '<T extends object>' : ''}(${params})${ts ? `: ${isAsync ? 'Promise<' : ''}Array<{ key: string; value: number }>${isAsync ? '>' : ''}` : ''} {`,
  );
  out.push(`  const result${ts ? ': Array<{ key: string; value: number }>' : ''} = [];`);
  out.push(...statementLines(r, 2, n).map((l) => l.replace('this.log?.', 'console.debug')));
  out.push('  return result;', '}', '');
  return out;
}

export function classBlock(r, name, { decorators = false, ts = true } = {}) {
  const out = [];
  const generic = ts && r.chance(0.5);
  if (decorators) out.push(`@Injectable({ scope: '${r.pick(['singleton', 'request', 'transient'])}' })`);
  out.push(`export class ${name}${generic ? '<TItem extends { id: string } = { id: string }>' : ''} {`);
  const fields = r.range(2, 6);
  for (let i = 0; i < fields; i++) {
    const f = camel(word(r), word(r));
    out.push(ts ? `  private ${f}${i}: ${type(r)} | undefined;` : `  ${f}${i} = undefined;`);
  }
  out.push(ts ? `  protected log?: (msg: string, level: number) => void;` : '  log = undefined;');
  out.push('');
  out.push(
    ts
      ? `  constructor(private readonly options: { name: string; retries?: number } = { name: '${word(r)}' }) {}`
      : `  constructor(options = { name: '${word(r)}' }) {\n    this.options = options;\n  }`,
  );
  const methods = r.range(2, 6);
  for (let i = 0; i < methods; i++) {
    out.push('');
    const m = camel(r.pick(VERBS), word(r));
    if (decorators && r.chance(0.5)) out.push(`  @Log('${m}')`);
    const isAsync = r.chance(0.35);
    const ret = ts ? `: ${isAsync ? 'Promise<' : ''}Array<{ key: string; value: number }>${isAsync ? '>' : ''}` : '';
    const n = paramNames(r);
    const p = ts
      ? `${n.input}Input: ${generic ? 'TItem' : 'Record<string, number>'}, ${n.items}Items: ${generic ? 'TItem[]' : 'number[]'} = [], ${n.flag}Flag = true, mode: string = '${word(r)}'`
      : `${n.input}Input, ${n.items}Items = [], ${n.flag}Flag = true, mode = '${word(r)}'`;
    out.push(`  ${isAsync ? 'async ' : ''}${m}${i}(${p})${ret} {`);
    out.push(`    const result${ts ? ': Array<{ key: string; value: number }>' : ''} = [];`);
    out.push(...statementLines(r, 4, n));
    out.push('    return result;', '  }');
  }
  out.push('}', '');
  return out;
}

/** `<T>expr` casts: valid TypeScript in .ts files, read as JSX by jscodeshift's tsx parser. */
export function castBlock(r, name) {
  const t = `${pascal(word(r), word(r))}Shape`;
  return [
    `interface ${t} { id: string; ${camel(word(r))}: number }`,
    `export function ${name}(raw: unknown): ${t} {`,
    `  const value = <${t}>raw;`,
    `  const copy = <${t}>(<unknown>{ ...value });`,
    `  return <${t}>copy;`,
    '}',
    '',
  ];
}

export function componentBlock(r, name) {
  const props = `${name}Props`;
  const out = [
    `export interface ${props} {`,
    `  title: string;`,
    `  items: ReadonlyArray<{ id: string; label: string }>;`,
    `  onSelect?: (id: string) => void;`,
    '}',
    '',
  ];
  out.push(`export function ${name}({ title, items, onSelect }: ${props}) {`);
  out.push(`  const [active, setActive] = useState<string | null>(null);`);
  out.push(`  const visible = useMemo(() => items.filter((i) => i.label.includes('${word(r)}')), [items]);`);
  out.push('  return (');
  out.push(`    <section className="${word(r)}-${word(r)}" aria-label={title}>`);
  out.push(`      <h2>{title}</h2>`);
  const n = r.range(1, 4);
  for (let i = 0; i < n; i++) {
    out.push(`      <ul className="${word(r)}-list-${i}">`);
    out.push('        {visible.map((item) => (');
    out.push(
      `          <li key={item.id} data-active={active === item.id} onClick={() => { setActive(item.id); onSelect?.(item.id); }}>`,
    );
    out.push(`            <span className="${word(r)}">{item.label}</span>`);
    out.push('          </li>');
    out.push('        ))}');
    out.push('      </ul>');
  }
  out.push('    </section>', '  );', '}', '');
  return out;
}

export function testBlock(r, subject, runner) {
  const out = [`describe('${subject}', () => {`];
  const n = r.range(2, 6);
  for (let i = 0; i < n; i++) {
    out.push(`  it('${r.pick(VERBS)}s ${word(r)} ${word(r)} (${i})', ${r.chance(0.3) ? 'async ' : ''}() => {`);
    out.push(`    const input = { id: '${word(r)}-${i}', count: ${r.int(100)} };`);
    out.push(`    const spy = ${runner}.fn();`);
    out.push(`    spy(input);`);
    out.push(`    expect(spy).toHaveBeenCalledWith(input);`);
    out.push(`    expect(input.count).toBeLessThan(${100 + r.int(100)});`);
    out.push('  });', '');
  }
  out.push('});', '');
  return out;
}

/** The real legacy MessageRouter implementation (also used, renamed, for the duplicate files). */
export function routerClass(name, { shapeOnly = false } = {}) {
  if (shapeOnly) {
    return [
      `export class ${name} {`,
      '  private readonly table: Record<string, Array<(socket: unknown, payload: unknown) => void>> = {};',
      '',
      '  register(type: string, handler: (socket: unknown, payload: unknown) => void): () => void {',
      '    (this.table[type] ??= []).push(handler);',
      '    return () => this.unregister(type, handler);',
      '  }',
      '',
      '  unregister(type: string, handler: (socket: unknown, payload: unknown) => void): void {',
      '    this.table[type] = (this.table[type] ?? []).filter((h) => h !== handler);',
      '  }',
      '',
      '  route(socket: unknown, raw: string): boolean {',
      "    const [type, body] = raw.split('|', 2);",
      "    const list = this.table[type ?? ''] ?? [];",
      '    list.forEach((h) => h(socket, body));',
      '    return list.length > 0;',
      '  }',
      '',
      '  get size(): number {',
      '    return Object.keys(this.table).length;',
      '  }',
      '}',
      '',
    ];
  }
  return [
    `export class ${name} {`,
    '  private readonly handlers = new Map<string, Set<MessageHandler>>();',
    '  private readonly options: RouterOptions;',
    '',
    '  constructor(options: Partial<RouterOptions> = {}) {',
    '    this.options = { maxPayloadBytes: 64 * 1024, strict: false, ...options };',
    '  }',
    '',
    '  register(type: string, handler: MessageHandler): () => void {',
    '    let set = this.handlers.get(type);',
    '    if (!set) {',
    '      set = new Set();',
    '      this.handlers.set(type, set);',
    '    }',
    '    set.add(handler);',
    '    return () => this.unregister(type, handler);',
    '  }',
    '',
    '  unregister(type: string, handler: MessageHandler): void {',
    '    const set = this.handlers.get(type);',
    '    if (!set) return;',
    '    set.delete(handler);',
    '    if (set.size === 0) this.handlers.delete(type);',
    '  }',
    '',
    '  route(socket: RouterSocket, raw: string): boolean {',
    '    if (raw.length > this.options.maxPayloadBytes) {',
    "      socket.send(JSON.stringify({ type: 'error', reason: 'payload-too-large' }));",
    '      return false;',
    '    }',
    '    let message: { type?: unknown; payload?: unknown };',
    '    try {',
    '      message = JSON.parse(raw) as { type?: unknown; payload?: unknown };',
    '    } catch {',
    "      socket.send(JSON.stringify({ type: 'error', reason: 'invalid-json' }));",
    '      return false;',
    '    }',
    "    if (typeof message.type !== 'string') return false;",
    '    const set = this.handlers.get(message.type);',
    '    if (!set || set.size === 0) {',
    "      if (this.options.strict) socket.send(JSON.stringify({ type: 'error', reason: 'unknown-type' }));",
    '      return false;',
    '    }',
    '    for (const handler of set) handler(socket, message.payload);',
    '    return true;',
    '  }',
    '',
    '  get size(): number {',
    '    return this.handlers.size;',
    '  }',
    '}',
    '',
  ];
}

export function routerPreamble() {
  return [
    'export interface RouterSocket {',
    '  readonly userId?: string;',
    '  send(data: string): void;',
    '}',
    '',
    'export type MessageHandler = (socket: RouterSocket, payload: unknown) => void;',
    '',
  ];
}
