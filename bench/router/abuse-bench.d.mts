// Types for abuse-bench.mjs (a plain ESM script so it runs without a build step of its own).

export interface AbuseBenchOptions {
  /** Multiplies every attack's frame count (default 1). */
  scale?: number;
  /** Attack ids to run (default: all, see ABUSE_ATTACKS). */
  only?: string[];
  /** Root of a built tree whose dist/src/router/index.js is measured (default: this repo). */
  dist?: string;
  /** Longest wait for RSS to settle after an attack (default 16,000 ms). */
  maxQuietMs?: number;
  log?: (line: string) => void;
}

export interface AbuseRow {
  attack: string;
  what: string;
  frames: number;
  connections: number;
  /** Close codes (or HTTP statuses) the client saw, when it was reading. */
  closes: Record<string, number>;
  attackMs: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  afterQuietMs: number;
  heapUsedBefore: number;
  heapUsedAfter: number;
  heapTotalBefore: number;
  heapTotalAfter: number;
  externalAfter: number;
  socketsLeft: number;
  /** Router stats counted during the attack. */
  router?: Record<string, number>;
  /** Adapter stats (binding.stats()) counted during the attack; absent for builds without them. */
  adapter?: Record<string, number>;
}

export interface AbuseBenchResult {
  config: { scale: number; dist: string; goalPeakMiB: number };
  machine: { node: string; platform: string };
  rows: AbuseRow[];
  /** Every attack's peak RSS stayed under goalPeakMiB above its baseline. */
  goalMet: boolean;
}

export const ABUSE_ATTACKS: ReadonlyArray<{ id: string; what: string }>;
export function runRouterAbuseBench(options?: AbuseBenchOptions): Promise<AbuseBenchResult>;
export function formatAbuseTable(result: AbuseBenchResult): string;
export function writeAbuseDocs(file: string, result: AbuseBenchResult, command: string): void;
