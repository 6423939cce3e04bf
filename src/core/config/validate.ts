import type { JsonSchema } from './schema.js';

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

function typeMatches(expected: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  const actual = typeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Checks a value against the subset of JSON Schema that `configSchema` uses and returns every
 * violation with its key path. Unknown keys are violations, never silently ignored.
 */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, path = ''): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const where = path || '(root)';
  if (schema.type && !typeMatches(schema.type, value)) {
    out.push({ path: where, message: `expected ${schema.type}, got ${typeOf(value)}` });
    return out;
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
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      out.push({ path: where, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` });
    }
    if (schema.items) value.forEach((item, i) => out.push(...validateAgainstSchema(item, schema.items!, join(path, i))));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in record)) out.push({ path: join(path, key), message: 'is required' });
    }
    for (const [key, child] of Object.entries(record)) {
      const known = schema.properties?.[key];
      if (known) out.push(...validateAgainstSchema(child, known, join(path, key)));
      else if (schema.additionalProperties === false) {
        const allowed = Object.keys(schema.properties ?? {}).join(', ');
        out.push({ path: join(path, key), message: `unknown key (allowed: ${allowed})` });
      } else if (typeof schema.additionalProperties === 'object') {
        out.push(...validateAgainstSchema(child, schema.additionalProperties, join(path, key)));
      }
    }
  }
  return out;
}
