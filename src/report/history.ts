import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from './types.js';
import { ensureDir, WriteError } from '../shared/atomic-write.js';
import { fileKind } from '../shared/source-file.js';

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
      if (typeof e.timestamp !== 'string' || !e.concepts || typeof e.concepts !== 'object')
        throw new Error('not a history entry');
      entries.push(e);
    } catch (error) {
      problems.push(`${file}:${i + 1}: ignored (${(error as Error).message})`);
    }
  });
  return { entries, problems };
}

/**
 * Appends one line (an append is atomic enough for one writer: a single write of one line).
 * Any file system error is a WriteError (a usage error) naming the file.
 */
export function appendHistory(file: string, entry: HistoryEntry): void {
  const abs = path.resolve(file);
  ensureDir(path.dirname(abs));
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    st = undefined; // a new history
  }
  // A FIFO would block the append until some reader appears.
  if (st && !st.isFile()) throw new WriteError(abs, `not a regular file (${fileKind(st)})`, 'refused');
  try {
    fs.appendFileSync(abs, JSON.stringify(entry) + '\n');
  } catch (error) {
    throw new WriteError(abs, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
}
