import { UsageError } from '../shared/errors.js';

/** Exit codes of every `ssot` command (ESLint's convention). Documented in the README. */
export const EXIT_OK = 0;
/** Findings that fail the command: new violations (`check`), files that failed (`migrate`). */
export const EXIT_FINDINGS = 1;
/** Usage, config or internal error: nothing was decided. */
export const EXIT_ERROR = 2;

/**
 * The one place errors become exit codes and messages. A UsageError (config, flag, path,
 * baseline, git ref, merge input) prints its own message, which names the file or key; anything
 * else is an internal error, with its stack when SSOT_DEBUG is set. Both exit 2.
 */
export function describeError(error: unknown): { exitCode: number; message: string } {
  if (error instanceof UsageError) return { exitCode: EXIT_ERROR, message: error.message };
  const err = error as Error;
  const stack = process.env.SSOT_DEBUG ? `\n${err?.stack ?? ''}` : '';
  return { exitCode: EXIT_ERROR, message: `internal error: ${err?.message ?? String(error)}${stack}` };
}
