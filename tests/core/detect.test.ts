import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config/load.js';
import { analyzeFile, createAnalysisContext } from '../../src/core/analyze.js';
import { describeSignal } from '../../src/core/detect.js';
import { parseFile } from '../../src/core/parse.js';
import { findRegistries } from '../../src/core/registry.js';
import { readCanonicalShape } from '../../src/core/canonical-shape.js';
import type { DuplicateFinding } from '../../src/core/types.js';
import { cleanup, makeProject, read } from '../helpers/index.js';

afterAll(cleanup);

const root = '/virtual/repo';
const config = resolveConfig(
  {
    concepts: [
      {
        id: 'router',
        preset: 'message-router',
        canonical: { files: ['src/canonical/**'] },
        allow: ['src/tests/fakes/**'],
      },
    ],
  },
  root,
);
const ctx = createAnalysisContext(config);

function dups(text: string, rel = 'src/x.ts'): DuplicateFinding[] {
  return analyzeFile(ctx, path.join(root, rel), text).duplicates;
}

function signals(text: string, rel?: string): string[][] {
  return dups(text, rel).map((d) => [d.symbol, ...d.signals.map((s) => s.kind)]);
}

/** Registries of a snippet, one line each: owner, storage, keyed, registering and dispatching members. */
function registries(text: string, file = '/virtual/x.ts'): string[] {
  const sf = parseFile(file, text).sourceFile;
  return findRegistries(sf).map((r) => {
    const ds = r.dispatches
      .map((d) => `${d.member}:${d.call}${d.method ? `.${d.method}` : ''}${d.via ? `>${d.via}` : ''}`)
      .join(',');
    return `${r.owner.name}.${r.storage}${r.keyed ? ' keyed' : ''}${r.oneShot ? ' one-shot' : ''} +${r.registers.join(',')} ${ds}`;
  });
}

const ROUTER = `class Dispatcher {
  private handlers = new Map<string, ((m: unknown) => void)[]>();
  addHandler(type: string, handler: (m: unknown) => void) {
    const list = this.handlers.get(type) ?? [];
    list.push(handler);
    this.handlers.set(type, list);
  }
  routeMessage(type: string, m: unknown) {
    for (const handler of this.handlers.get(type) ?? []) handler(m);
  }
}`;

describe('registries: storage a declaration fills from its callers and dispatches over', () => {
  it('class fields, keyed lists through a local alias, and the dispatching member', () => {
    expect(registries(ROUTER)).toEqual(['Dispatcher.handlers keyed +addHandler routeMessage:each']);
  });

  it('closures of a factory and module-level lists (owned by the function that dispatches)', () => {
    expect(
      registries(
        'function make() {\n  const ls = new Set<(e: number) => void>();\n  return { on: (l: (e: number) => void) => ls.add(l), fire: (e: number) => ls.forEach((l) => l(e)) };\n}',
      ),
    ).toEqual(['make.ls +on fire:each']);
    expect(
      registries(
        'const subs: Array<() => void> = [];\nexport function subscribe(f: () => void) { subs.push(f); }\nexport function notify() { for (const s of [...subs]) s(); }',
      ),
    ).toEqual(['notify.subs +subscribe notify:each']);
  });

  it('an object literal bound to a name, `{ data: [], end: [] }` lists, index loops and stored `{ fn }` items', () => {
    expect(
      registries(
        'export const hub = {\n  conns: new Map<string, { send(d: string): void }>(),\n  add(c: { id: string; send(d: string): void }) { this.conns.set(c.id, c); },\n  all(d: string) { for (const c of this.conns.values()) c.send(d); },\n};',
      ),
    ).toEqual(['hub.conns keyed +add all:each.send']);
    expect(
      registries(
        'class S {\n  private listeners = { data: [] as ((d: string) => void)[], end: [] as (() => void)[] };\n  on(l: (d: string) => void) { this.listeners.data.push(l); }\n  emit(d: string) { this.listeners.data.forEach((l) => l(d)); }\n}',
      ),
    ).toEqual(['S.listeners keyed +on emit:each']);
    expect(
      registries(
        'class L {\n  private cbs: Function[] = [];\n  add(cb: Function) { this.cbs.push(cb); }\n  invoke(...a: unknown[]) { const cbs = this.cbs.slice(0); for (let i = 0, n = cbs.length; i < n; i++) cbs[i].apply(null, a); }\n}',
      ),
    ).toEqual(['L.cbs +add invoke:each']);
    expect(
      registries(
        'interface Entry { fn: (e: number) => void; thisArg: unknown }\nclass E {\n  private ls = new Set<Entry>();\n  on(fn: (e: number) => void, thisArg?: unknown) { const entry = { fn, thisArg }; this.ls.add(entry); }\n  fire(e: number) { for (const l of this.ls) l.fn.call(l.thisArg, e); }\n}',
      ),
    ).toEqual(['E.ls +on fire:each>fn']);
  });

  it('`new Set([handler])` stored per key, and a local helper function that takes the list and calls each', () => {
    expect(
      registries(
        'class B {\n  private subs = new Map<string, Set<(p: unknown) => void>>();\n  subscribe(e: string, s: (p: unknown) => void) { this.subs.set(e, new Set([s])); }\n  emit(e: string, p: unknown) {\n    const notifyAll = (list: Iterable<(p: unknown) => void>) => { for (const s of list) s(p); };\n    notifyAll(this.subs.get(e) ?? []);\n  }\n}',
      ),
    ).toEqual(['B.subs keyed +subscribe emit:each']);
  });

  it('a method of each stored item is a method call, unless the item type declares a function property', () => {
    const observer =
      'interface Observer { handleChange(v: number): void }\nclass Obs {\n  private os = new Set<Observer>();\n  add(o: Observer) { this.os.add(o); }\n  set(v: number) { for (const o of this.os) o.handleChange(v); }\n}';
    expect(registries(observer)).toEqual(['Obs.os +add set:each.handleChange']);
    expect(registries(observer.replace('handleChange(v: number): void', 'handleChange: (v: number) => void'))).toEqual([
      'Obs.os +add set:each>handleChange',
    ]);
  });

  it('tells chains, one-shot waiters, pending promises and own state from listener lists', () => {
    // The loop stops on the first handler that answers: a chain of responsibility.
    expect(
      registries(
        'class C {\n  private hs: ((p: string) => string | false)[] = [];\n  push(h: (p: string) => string | false) { this.hs.push(h); }\n  route(p: string) { for (const h of this.hs) { const r = h(p); if (r) return r; } return false; }\n}',
      ),
    ).toEqual(['C.hs +push route:first']);
    // Emptied where dispatched: resolved once.
    expect(
      registries(
        'class W {\n  private ws: (() => void)[] = [];\n  wait(w: () => void) { this.ws.push(w); }\n  done() { for (const w of this.ws) w(); this.ws = []; }\n}',
      ),
    ).toEqual(['W.ws one-shot +wait done:each']);
    // A Promise's resolve is no caller's callback: nothing is registered.
    expect(
      registries(
        'class P {\n  private pending = new Set<(v: number) => void>();\n  next() { return new Promise<number>((resolve) => this.pending.add(resolve)); }\n  feed(v: number) { for (const p of this.pending) p(v); }\n}',
      ),
    ).toEqual([]);
    // Functions the code builds itself (tasks per editor) are its own state, not registrations.
    expect(
      registries(
        'class T {\n  private tasks = new Map<string, () => void>();\n  open(id: string) { this.tasks.set(id, () => console.log(id)); }\n  runAll() { for (const t of this.tasks.values()) t(); }\n}',
      ),
    ).toEqual([]);
  });
});

describe('the canonical shape', () => {
  it('an abstract canonical that stores what callers register but dispatches nowhere: the profile is assumed, and said so', () => {
    const sf = parseFile(
      '/virtual/bus.ts',
      'export abstract class Bus {\n  protected subs = new Map<string, ((p: unknown) => void)[]>();\n  subscribe(e: string, s: (p: unknown) => void) { this.subs.set(e, [...(this.subs.get(e) ?? []), s]); }\n  abstract emit(e: string, p: unknown): void;\n}\n',
    ).sourceFile;
    const shape = readCanonicalShape(sf);
    expect(shape.profiles).toEqual([{ call: 'each', keyed: true }]);
    expect(shape.assumed).toMatch(
      /^Bus stores what its callers register in `subs` but dispatches nowhere in its module/,
    );
    // With a dispatch of its own, the profile is read, not assumed.
    const own = readCanonicalShape(
      parseFile('/virtual/e.ts', ROUTER.replace('class Dispatcher', 'export class Dispatcher')).sourceFile,
    );
    expect([own.profiles, own.assumed]).toEqual([[{ call: 'each', keyed: true }], undefined]);
  });
});

describe('duplicate detection, by decisive evidence', () => {
  it("owns: the concept's registry under any name, with the evidence in one line", () => {
    const found = dups(ROUTER);
    expect(found.map((d) => [d.symbol, d.declarationKind])).toEqual([['Dispatcher', 'class']]);
    expect(describeSignal(found[0]!.signals[0]!)).toBe(
      'owns `handlers`: new Map<string, ((m: unknown) => void)[]>() (filled in `addHandler`) and calls each in `routeMessage`',
    );
    // Context follows the decisive line: the members it shares with the concept.
    expect(found[0]!.signals.map((s) => s.kind)).toEqual(['owns']);
  });

  it('a name or members alone are no evidence: look-alikes, data tables, stubs', () => {
    expect(signals(`export class MessageRouter {}`)).toEqual([]);
    expect(signals(`export function broadcastToUser(u: string) { return 0; }`)).toEqual([]);
    expect(signals(`const QualityMessageRouter = { route() {} };`)).toEqual([]);
    expect(
      signals(
        `class Dispatcher { addHandler() {} routeMessage() {} registerConnection() {} getStats() {} other() {} }`,
      ),
    ).toEqual([]);
    expect(
      signals(
        `export const NOTES = { addHandler: 'on', routeMessage: 'route', registerConnection: 'register', broadcastToUser: 'emit' };`,
      ),
    ).toEqual([]);
  });

  it('canonical-name: a second definition of the canonical name itself, not a subclass of it', () => {
    expect(dups(`export class CanonicalMessageRouter {}`).map((d) => d.signals)).toEqual([
      [{ kind: 'canonical-name', name: 'CanonicalMessageRouter' }],
    ]);
    expect(
      signals(
        `import { CanonicalMessageRouter as Base } from 'ssot-kit/router';\nexport class CanonicalMessageRouter extends Base {}`,
      ),
    ).toEqual([]);
  });

  it('interfaces, types, ambient declarations and .d.ts files never count', () => {
    expect(signals(`export interface CanonicalMessageRouter { route(): void }`)).toEqual([]);
    expect(signals(`type CanonicalMessageRouter = { a: 1 };`)).toEqual([]);
    expect(signals(`declare class CanonicalMessageRouter { route(): void }`)).toEqual([]);
    expect(signals(`declare module 'x' { export class CanonicalMessageRouter {} }`)).toEqual([]);
    expect(signals(ROUTER, 'src/types/router.d.ts')).toEqual([]);
  });

  it('canonical files and allowed files may define the concept', () => {
    expect(signals(ROUTER, 'src/canonical/router.ts')).toEqual([]);
    expect(signals(ROUTER, 'src/tests/fakes/router.ts')).toEqual([]);
  });

  it('anonymous and nested declarations are found', () => {
    expect(signals(`export default ${ROUTER.replace('class Dispatcher', 'class')}`)).toEqual([['default', 'owns']]);
    expect(signals(`function setup() { ${ROUTER} return Dispatcher; }`)).toEqual([['Dispatcher', 'owns']]);
    expect(signals(`const R = ${ROUTER.replace('class Dispatcher', 'class')};`)).toEqual([['R', 'owns']]);
  });
});

describe('fingerprints', () => {
  const fp = (text: string, rel?: string) => dups(text, rel)[0]!.fingerprint;

  it('do not change when lines are added above or when layout, comments or line endings change', () => {
    expect(fp(`import x from 'y';\n\n\n${ROUTER}`)).toBe(fp(ROUTER));
    expect(fp(ROUTER.replace(/\n/g, '\r\n'))).toBe(fp(ROUTER));
    expect(fp(ROUTER.replace('list.push(handler);', 'list.push(handler); /* why */'))).toBe(fp(ROUTER));
  });

  it('change when the code, the symbol or the file changes', () => {
    expect(fp(ROUTER.replace('handler(m);', 'handler(m ?? null);'))).not.toBe(fp(ROUTER));
    expect(fp(ROUTER.replace('Dispatcher', 'Dispatcher2'))).not.toBe(fp(ROUTER));
    expect(fp(ROUTER, 'src/y.ts')).not.toBe(fp(ROUTER));
  });
});

describe('built on a legacy implementation: listed apart, never a duplicate', () => {
  it('subclasses and wrappers of a legacy class, resolved through the import', () => {
    const root = makeProject({
      'src/events/emitter.ts':
        'export class Emitter<T> {\n  private ls = new Set<(e: T) => void>();\n  on(l: (e: T) => void) { this.ls.add(l); }\n  fire(e: T) { for (const l of this.ls) l(e); }\n}\n',
      'src/old/bus.ts':
        'export class OldBus {\n  private hs: ((e: string) => void)[] = [];\n  sub(h: (e: string) => void) { this.hs.push(h); }\n  pub(e: string) { this.hs.forEach((h) => h(e)); }\n}\n',
      'src/app/uses.ts':
        "import { OldBus as Bus } from '../old/bus';\nexport class LoudBus extends Bus {}\nexport class Facade { private readonly bus = new Bus(); send(e: string) { this.bus.pub(e); } }\nexport class Plain {}\n",
    });
    const cfg = resolveConfig(
      {
        concepts: [
          {
            id: 'emitter',
            canonical: { module: 'src/events/emitter.ts', names: ['Emitter'] },
            legacy: [{ module: 'src/old/bus.ts' }],
          },
        ],
      },
      root,
    );
    const c = createAnalysisContext(cfg);
    const file = path.join(root, 'src/app/uses.ts');
    const analysis = analyzeFile(c, file, read(root, 'src/app/uses.ts'));
    expect(analysis.duplicates).toEqual([]);
    expect(analysis.builtOnLegacy?.map((b) => [b.symbol, b.relation, b.base, b.legacyModule, b.line])).toEqual([
      ['LoudBus', 'extends', 'OldBus', 'src/old/bus.ts', 2],
      ['Facade', 'wraps', 'OldBus', 'src/old/bus.ts', 3],
    ]);
    // The legacy implementation itself is a duplicate (what it owns), the canonical one is not.
    expect(
      analyzeFile(c, path.join(root, 'src/old/bus.ts'), read(root, 'src/old/bus.ts')).duplicates.map((d) => d.symbol),
    ).toEqual(['OldBus']);
  });

  it('left out on request (the report shows none), with the same duplicates and sites', () => {
    const root = makeProject({
      'src/events/emitter.ts': 'export class Emitter<T> {\n  fire(e: T) { return e; }\n}\n',
      'src/old/bus.ts': 'export class OldBus {\n  pub(e: string) { return e; }\n}\n',
      'src/old/index.ts': "export * from './bus';\n",
      'src/app/uses.ts':
        "import { OldBus } from '../old';\nexport class LoudBus extends OldBus {}\nexport class Emitter { private readonly bus = new OldBus(); }\n",
    });
    const cfg = resolveConfig(
      {
        concepts: [
          {
            id: 'emitter',
            canonical: { module: 'src/events/emitter.ts', names: ['Emitter'] },
            legacy: [{ module: 'src/old/bus.ts' }],
          },
        ],
      },
      root,
    );
    const file = path.join(root, 'src/app/uses.ts');
    const full = analyzeFile(createAnalysisContext(cfg), file, read(root, 'src/app/uses.ts'));
    const lean = analyzeFile(createAnalysisContext(cfg), file, read(root, 'src/app/uses.ts'), { builtOnLegacy: false });
    // Through a barrel's `export *`: the checker, on the chain's files, confirms the legacy class.
    expect(full.builtOnLegacy?.map((b) => [b.symbol, b.relation])).toEqual([
      ['LoudBus', 'extends'],
      ['Emitter', 'wraps'],
    ]);
    expect(lean.builtOnLegacy).toBeUndefined();
    // The re-declared canonical name wraps the legacy class: not a duplicate either way (its base is still resolved).
    expect(full.duplicates).toEqual([]);
    expect(lean.duplicates).toEqual([]);
    expect(lean.sites).toEqual(full.sites);
  });
});
