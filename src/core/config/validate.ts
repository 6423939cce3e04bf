import type { JsonSchema, JsonType } from './schema.js';

export interface SchemaViolation {
  /** Key path like `concepts[1].legacy[0].module`; empty for the root. */
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function typeMatches(expected: JsonType, value: unknown): boolean {
  const actual = typeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

/** JSON equality of two parsed values (for `enum` and `const`). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const m = /^#\/definitions\/(.+)$/.exec(ref);
  const target = m && root.definitions && Object.hasOwn(root.definitions, m[1]!) ? root.definitions[m[1]!] : undefined;
  if (!target) throw new Error(`schema: unsupported or unknown $ref ${ref}`);
  return target;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** Where a value sits, built into a string only when a violation is reported. */
type At = { parent: At; key: string | number } | undefined;

function pathOf(at: At, base: string): string {
  const keys: (string | number)[] = [];
  for (let a = at; a; a = a.parent) keys.push(a.key);
  return keys.reverse().reduce<string>((p, k) => join(p, k), base);
}

/** Where violations go; none: answer yes or no, stopping at the first misfit. */
interface Sink {
  out: SchemaViolation[];
  base: string;
}

/** A schema turned into a function once: true when the value fits. */
type Checker = (value: unknown, at: At, sink: Sink | undefined) => boolean;

function report(sink: Sink, at: At, message: string): false {
  sink.out.push({ path: pathOf(at, sink.base) || '(root)', message });
  return false;
}

const compiled = new WeakMap<JsonSchema, WeakMap<JsonSchema, Checker>>();

/**
 * Compiles `schema` (with `root` for `$ref`s) into a Checker, once per schema object: the cache
 * runs it on every entry the report uses, so the keywords are read and the patterns built here,
 * not per value.
 */
function compile(schema: JsonSchema, root: JsonSchema): Checker {
  let byRoot = compiled.get(root);
  if (!byRoot) compiled.set(root, (byRoot = new WeakMap()));
  const known = byRoot.get(schema);
  if (known) return known;
  if (schema.$ref) {
    const ref = schema.$ref;
    let target: Checker | undefined;
    const checker: Checker = (value, at, sink) => (target ??= compile(resolveRef(ref, root), root))(value, at, sink);
    byRoot.set(schema, checker);
    return checker;
  }
  // Steps run in order; each returns false on a misfit (after reporting it when there is a sink).
  type Step = (value: unknown, at: At, sink: Sink | undefined) => boolean;
  const steps: Step[] = [];
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (schema.enum) {
    const list = schema.enum;
    steps.push(
      (v, at, sink) =>
        list.some((e) => jsonEqual(e, v)) ||
        (sink !== undefined && report(sink, at, `must be one of ${list.map((e) => JSON.stringify(e)).join(', ')}`)),
    );
  }
  if (Object.hasOwn(schema, 'const')) {
    const expected = schema.const;
    steps.push(
      (v, at, sink) =>
        jsonEqual(expected, v) || (sink !== undefined && report(sink, at, `must be ${JSON.stringify(expected)}`)),
    );
  }
  if (schema.anyOf) {
    const alternatives = schema.anyOf.map((s) => compile(s, root));
    steps.push(
      (v, at, sink) =>
        alternatives.some((c) => c(v, at, undefined)) ||
        (sink !== undefined && report(sink, at, 'matches none of the allowed shapes')),
    );
  }
  if (schema.oneOf) {
    const alternatives = schema.oneOf.map((s) => compile(s, root));
    steps.push(
      (v, at, sink) =>
        alternatives.filter((c) => c(v, at, undefined)).length === 1 ||
        (sink !== undefined && report(sink, at, 'must match exactly one of the allowed shapes')),
    );
  }
  if (schema.not) {
    const forbidden = compile(schema.not, root);
    steps.push(
      (v, at, sink) =>
        !forbidden(v, at, undefined) || (sink !== undefined && report(sink, at, 'has a form that is not allowed')),
    );
  }
  const { minLength, minimum, maximum, minItems } = schema;
  if (minLength !== undefined) {
    const message = minLength === 1 ? 'must not be empty' : `must have at least ${minLength} characters`;
    steps.push(
      (v, at, sink) =>
        typeof v !== 'string' || v.length >= minLength || (sink !== undefined && report(sink, at, message)),
    );
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const message = `must match ${schema.pattern}`;
    steps.push(
      (v, at, sink) => typeof v !== 'string' || pattern.test(v) || (sink !== undefined && report(sink, at, message)),
    );
  }
  if (minimum !== undefined)
    steps.push(
      (v, at, sink) =>
        typeof v !== 'number' ||
        v >= minimum ||
        (sink !== undefined && report(sink, at, `must be at least ${minimum}`)),
    );
  if (maximum !== undefined)
    steps.push(
      (v, at, sink) =>
        typeof v !== 'number' || v <= maximum || (sink !== undefined && report(sink, at, `must be at most ${maximum}`)),
    );
  if (minItems !== undefined) {
    const message = `must have at least ${minItems} item${minItems === 1 ? '' : 's'}`;
    steps.push(
      (v, at, sink) => !Array.isArray(v) || v.length >= minItems || (sink !== undefined && report(sink, at, message)),
    );
  }
  if (schema.items) {
    const item = schema.items;
    let each: Checker | undefined;
    steps.push((v, at, sink) => {
      if (!Array.isArray(v)) return true;
      each ??= compile(item, root);
      let ok = true;
      for (let i = 0; i < v.length; i++) {
        if (each(v[i], sink ? { parent: at, key: i } : undefined, sink)) continue;
        if (!sink) return false;
        ok = false;
      }
      return ok;
    });
  }
  const required = schema.required ?? [];
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  if (required.length > 0 || properties || additional !== undefined) {
    const props = new Map<string, JsonSchema>(properties ? Object.entries(properties) : []);
    const children = new Map<string, Checker>();
    let rest: Checker | undefined;
    const allowed = [...props.keys()].join(', ');
    steps.push((v, at, sink) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return true;
      const record = v as Record<string, unknown>;
      let ok = true;
      // Own properties only, on both sides: `__proto__`, `constructor` or `toString` as a key is
      // an unknown key, never a lookup into Object.prototype.
      for (const key of required) {
        if (Object.hasOwn(record, key)) continue;
        if (!sink) return false;
        ok = report(sink, { parent: at, key }, 'is required');
      }
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const own = props.get(key);
        let child: Checker | undefined;
        if (own) {
          child = children.get(key);
          if (!child) children.set(key, (child = compile(own, root)));
        } else if (typeof additional === 'object') child = rest ??= compile(additional, root);
        if (child) {
          if (child(record[key], sink ? { parent: at, key } : undefined, sink)) continue;
          if (!sink) return false;
          ok = false;
        } else if (additional === false) {
          if (!sink) return false;
          ok = report(sink, { parent: at, key }, `unknown key (allowed: ${allowed})`);
        }
      }
      return ok;
    });
  }
  const checker: Checker = (value, at, sink) => {
    if (types && !types.some((t) => typeMatches(t, value))) {
      return sink !== undefined && report(sink, at, `expected ${types.join(' or ')}, got ${typeOf(value)}`);
    }
    let ok = true;
    for (const step of steps) {
      if (step(value, at, sink)) continue;
      if (!sink) return false;
      ok = false;
    }
    return ok;
  };
  byRoot.set(schema, checker);
  return checker;
}

/**
 * Checks a value against the subset of JSON Schema described by JsonSchema and returns every
 * violation with its key path. Unknown keys are violations, never silently ignored.
 */
export function validateAgainstSchema(
  value: unknown,
  schema: JsonSchema,
  path = '',
  root: JsonSchema = schema,
): SchemaViolation[] {
  const sink: Sink = { out: [], base: path };
  compile(schema, root)(value, undefined, sink);
  return sink.out;
}

/** Whether a value fits the schema: validateAgainstSchema without the messages, stopping at the first misfit. */
export function conformsTo(value: unknown, schema: JsonSchema, root: JsonSchema = schema): boolean {
  return compile(schema, root)(value, undefined, undefined);
}
