import { UsageError } from '../shared/errors.js';

/** A whole-number flag (`--jobs`, `--limit`, `--max-new`): absent gives `undefined`. */
export function parseInteger(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`${flag} expects a whole number >= ${min}, got "${value}"`);
  }
  return Number(value);
}

/** A flag with a fixed set of values (`--format`, `--stale`, `--shard-by`). */
export function parseChoice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}
