import { ConfigError } from '../core/config/load.js';
import { EXIT_ERROR } from './exit-codes.js';

/** A usage problem found by a command itself (a bad flag value, a missing file). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs a command action and turns its outcome into an exit code: the action returns the code;
 * config and usage errors print their message (which names the file and key) and exit 2; any
 * other exception is an internal error, also exit 2, with its stack when SSOT_DEBUG is set.
 */
export async function runCommand(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`ssot: ${error.message}\n`);
    } else {
      const err = error as Error;
      process.stderr.write(`ssot: internal error: ${err?.message ?? String(error)}\n`);
      if (process.env.SSOT_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    }
    process.exitCode = EXIT_ERROR;
  }
}
