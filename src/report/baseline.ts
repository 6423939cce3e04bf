import * as fs from 'node:fs';
import { FORMER_RULE_IDS, RULE_IDS } from '../core/findings.js';
import type { RuleId, Violation } from './types.js';
import { UsageError } from '../shared/errors.js';

/**
 * The baseline of `ssot check`: one entry per known violation, keyed by its content fingerprint
 * (rule, concept, repo-relative file, symbol and a hash of the normalised code; never a line
 * number). Identical fingerprints in one file are kept as repeated entries, so their number counts.
 * Serialised sorted, one entry per line, with "\n" line endings: stable across machines and
 * friendly to merges.
 */
const BASELINE_VERSION = 1;

export interface BaselineEntry {
  file: string;
  rule: RuleId;
  concept: string;
  symbol: string;
  fingerprint: string;
}

class BaselineError extends UsageError {}

export function entryOf(v: Violation): BaselineEntry {
  return { file: v.file, rule: v.rule, concept: v.conceptId, symbol: v.symbol, fingerprint: v.fingerprint };
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  for (const k of ['file', 'rule', 'concept', 'symbol', 'fingerprint'] as const) {
    if (a[k] < b[k]) return -1;
    if (a[k] > b[k]) return 1;
  }
  return 0;
}

export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort(compareEntries);
  const lines = sorted.map(
    (e, i) =>
      '    ' +
      JSON.stringify({ file: e.file, rule: e.rule, concept: e.concept, symbol: e.symbol, fingerprint: e.fingerprint }) +
      (i < sorted.length - 1 ? ',' : ''),
  );
  return `{\n  "schemaVersion": ${BASELINE_VERSION},\n  "tool": "ssot-kit",\n  "entries": [\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}  ]\n}\n`;
}

/** Reads a baseline; undefined when the file does not exist. A malformed file is an error (exit 2). */
export function readBaseline(file: string): BaselineEntry[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BaselineError(`cannot read baseline ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new BaselineError(`baseline ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const root = json as { schemaVersion?: unknown; entries?: unknown };
  if (!root || typeof root !== 'object' || root.schemaVersion !== BASELINE_VERSION || !Array.isArray(root.entries)) {
    throw new BaselineError(`baseline ${file}: expected {"schemaVersion": ${BASELINE_VERSION}, "entries": [...]}`);
  }
  return root.entries.map((e: unknown, i: number) => {
    const entry = e as Partial<BaselineEntry>;
    for (const k of ['file', 'rule', 'concept', 'symbol', 'fingerprint'] as const) {
      if (typeof entry?.[k] !== 'string')
        throw new BaselineError(`baseline ${file}: entries[${i}].${k}: expected a string`);
    }
    // A baseline written before a rule was renamed keeps working: its fingerprints did not change.
    const rule = FORMER_RULE_IDS[entry.rule!] ?? entry.rule;
    if (!(RULE_IDS as readonly string[]).includes(rule!)) {
      throw new BaselineError(
        `baseline ${file}: entries[${i}].rule: unknown rule "${entry.rule}" (known: ${RULE_IDS.join(', ')})`,
      );
    }
    return { ...(entry as BaselineEntry), rule: rule as RuleId };
  });
}

export interface Comparison {
  known: Violation[];
  added: Violation[];
  /** Baseline entries no longer found (fixed, or changed beyond recognition): stale. */
  fixed: BaselineEntry[];
}

/**
 * Multiset comparison by fingerprint: for each fingerprint, as many current violations as the
 * baseline holds are known, the rest are new; baseline entries beyond the current count are fixed.
 */
export function compareWithBaseline(current: readonly Violation[], baseline: readonly BaselineEntry[]): Comparison {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of baseline) remaining.set(e.fingerprint, [...(remaining.get(e.fingerprint) ?? []), e]);
  const known: Violation[] = [];
  const added: Violation[] = [];
  for (const v of current) {
    const left = remaining.get(v.fingerprint);
    if (left && left.length > 0) {
      left.pop();
      known.push(v);
    } else added.push(v);
  }
  const fixed = [...remaining.values()].flat().sort(compareEntries);
  return { known, added, fixed };
}
