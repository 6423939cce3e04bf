import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from './types.js';

/** One line of a `--history` file (JSON Lines): the counts of one run. */
export interface HistoryEntry {
  timestamp: string;
  commit: string | null;
  concepts: Record<
    string,
    {
      duplicates: number;
      legacySites: number;
      nonConceptLegacySites: number;
      missingModuleImports: number;
      canonicalSites: number;
      compatSites: number;
      progress: number | null;
      compliant: boolean;
    }
  >;
}

export function historyEntry(report: Report, commit: string | undefined, now: Date = new Date()): HistoryEntry {
  const concepts: HistoryEntry['concepts'] = {};
  for (const c of report.concepts) {
    concepts[c.id] = {
      duplicates: c.summary.duplicates,
      legacySites: c.summary.legacySites,
      nonConceptLegacySites: c.summary.nonConceptLegacySites,
      missingModuleImports: c.summary.missingModuleImports,
      canonicalSites: c.summary.canonicalSites,
      compatSites: c.summary.compatSites,
      progress: c.summary.progress,
      compliant: c.compliant,
    };
  }
  return { timestamp: now.toISOString(), commit: commit ?? null, concepts };
}

/** Reads a history file; lines that are not valid entries are reported, not fatal. */
export function readHistory(file: string): { entries: HistoryEntry[]; problems: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] };
    return { entries: [], problems: [`cannot read history ${file}: ${(error as Error).message}`] };
  }
  const entries: HistoryEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e.timestamp !== 'string' || !e.concepts || typeof e.concepts !== 'object') throw new Error('not a history entry');
      entries.push(e);
    } catch (error) {
      problems.push(`${file}:${i + 1}: ignored (${(error as Error).message})`);
    }
  });
  return { entries, problems };
}

/** Appends one line (an append is atomic enough for one writer: a single write of one line). */
export function appendHistory(file: string, entry: HistoryEntry): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.appendFileSync(file, JSON.stringify(entry) + '\n');
}
