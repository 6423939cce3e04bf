// Types for router-bench.mjs (a plain ESM script so it runs without a build step of its own).

export interface RouterBenchOptions {
  connections?: number;
  users?: number;
  events?: number;
  rounds?: number;
  repeats?: number;
  payloadBytes?: number;
  log?: (line: string) => void;
}

export interface LatencyMs {
  p50: number;
  p95: number;
  p99: number;
}

export interface ModeResult {
  throughputPerSec: number;
  throughputRangePerSec: [number, number];
  /** Event-loop busy time of the server per delivery (wall clock, inflated by CPU contention). */
  serverUsPerDelivery: number;
  /** Server process CPU time (user + system) per delivery. */
  serverCpuUsPerDelivery: number;
  floodLatencyMs: LatencyMs;
  burstLatencyMs: LatencyMs;
  steadyLatencyMs: LatencyMs;
}

export interface RouterBenchResult {
  config: {
    connections: number;
    users: number;
    events: number;
    rounds: number;
    repeats: number;
    payloadBytes: number;
    deliveriesPerFlood: number;
  };
  machine: { node: string; platform: string };
  bare: ModeResult;
  /** Bare ws sends that wait for write callbacks (exact counting without a router). */
  bareAck: ModeResult;
  router: ModeResult;
  /** router / bare throughput (the goal: >= 0.8). */
  throughputRatio: number;
  throughputRatioVsBareAck: number;
  /** bare CPU per delivery / router CPU per delivery. */
  cpuEfficiencyRatio: number;
  goals: {
    routerSteadyP95Under5ms: boolean;
    routerBurstP95Under5ms: boolean;
    throughputAtLeast80PercentOfBare: boolean;
  };
  raw: unknown;
}

export function runRouterBench(options?: RouterBenchOptions): Promise<RouterBenchResult>;
