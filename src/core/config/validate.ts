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
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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

/**
 * Checks a value against the subset of JSON Schema described by JsonSchema and returns every
 * violation with its key path. Unknown keys are violations, never silently ignored.
 */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, path = '', root: JsonSchema = schema): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const where = path || '(root)';
  if (schema.$ref) return validateAgainstSchema(value, resolveRef(schema.$ref, root), path, root);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      out.push({ path: where, message: `expected ${types.join(' or ')}, got ${typeOf(value)}` });
      return out;
    }
  }
  if (schema.enum && !schema.enum.some((e) => jsonEqual(e, value))) {
    out.push({ path: where, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (Object.hasOwn(schema, 'const') && !jsonEqual(schema.const, value)) {
    out.push({ path: where, message: `must be ${JSON.stringify(schema.const)}` });
  }
  if (schema.anyOf && !schema.anyOf.some((s) => validateAgainstSchema(value, s, path, root).length === 0)) {
    out.push({ path: where, message: 'matches none of the allowed shapes' });
  }
  if (schema.oneOf && schema.oneOf.filter((s) => validateAgainstSchema(value, s, path, root).length === 0).length !== 1) {
    out.push({ path: where, message: 'must match exactly one of the allowed shapes' });
  }
  if (schema.not && validateAgainstSchema(value, schema.not, path, root).length === 0) {
    out.push({ path: where, message: 'has a form that is not allowed' });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      out.push({ path: where, message: schema.minLength === 1 ? 'must not be empty' : `must have at least ${schema.minLength} characters` });
    }
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
      out.push({ path: where, message: `must match ${schema.pattern}` });
    }
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) {
    out.push({ path: where, message: `must be at least ${schema.minimum}` });
  }
  if (typeof value === 'number' && schema.maximum !== undefined && value > schema.maximum) {
    out.push({ path: where, message: `must be at most ${schema.maximum}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      out.push({ path: where, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
    }
    if (schema.items) value.forEach((item, i) => out.push(...validateAgainstSchema(item, schema.items!, join(path, i), root)));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    // Own properties only, on both sides: `__proto__`, `constructor` or `toString` as a key is
    // an unknown key, never a lookup into Object.prototype.
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(record, key)) out.push({ path: join(path, key), message: 'is required' });
    }
    for (const [key, child] of Object.entries(record)) {
      const known = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
      if (known) out.push(...validateAgainstSchema(child, known, join(path, key), root));
      else if (schema.additionalProperties === false) {
        const allowed = Object.keys(schema.properties ?? {}).join(', ');
        out.push({ path: join(path, key), message: `unknown key (allowed: ${allowed})` });
      } else if (typeof schema.additionalProperties === 'object') {
        out.push(...validateAgainstSchema(child, schema.additionalProperties, join(path, key), root));
      }
    }
  }
  return out;
}
