/**
 * Terminal output policy: colour only when the stream is a TTY and NO_COLOR is unset
 * (https://no-color.org) or FORCE_COLOR asks for it; progress only on an interactive stderr,
 * never in CI or a pipe.
 */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const identity = (s: string) => s;

export function colors(enabled: boolean): Colors {
  if (!enabled)
    return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

/** A one-line progress counter on stderr for interactive runs; a no-op in CI and pipes. */
export function createProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Progress {
  const interactive = Boolean(stream.isTTY) && !env.CI;
  if (!interactive) return { update: () => undefined, finish: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      shown = true;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      stream.write(`\r${label} ${done}/${total} files (${pct}%)\u001b[K`);
    },
    finish() {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}

/** `1 file`, `2 files`: every count printed with its noun agrees with the count. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How many names a one-line message lists before it says how many more there are. */
export const MAX_LISTED_NAMES = 5;

/** `a, b, c, d, e and 95 more`: at most `max` items, then the count of the rest, so a message stays one short line. */
export function capList(items: readonly string[], max = MAX_LISTED_NAMES): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
