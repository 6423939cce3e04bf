// Types of bench/detect/real-world.mjs for the tests that import it.
export const GOAL: number;

export interface Candidate {
  file: string;
  line?: number;
  symbol: string;
  label: 'duplicate' | 'not';
  reason: string;
}

export interface Labels {
  repo?: string;
  commit?: string;
  canonical?: { module: string; name: string };
  candidates: Candidate[];
}

export interface Finding {
  file: string;
  line?: number;
  symbol: string;
  evidence?: string;
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number | undefined;
  recall: number | undefined;
  falsePositives: (Finding & { label: string })[];
  missed: Candidate[];
}

export function labelSets(repo: string): { name: string; dir: string; labels: Labels & { commit: string } }[];
export function score(labels: Pick<Labels, 'candidates'>, findings: Finding[]): Score;
export function runDetectSuite(options: { repo: string; realDir?: string }): Promise<unknown>;
export function detectTable(rows: unknown[]): string;
