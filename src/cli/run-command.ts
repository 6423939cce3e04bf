import { describeError } from './exit-codes.js';

/**
 * Runs a command action and turns its outcome into an exit code: the action returns the code;
 * an exception is printed and mapped by describeError (exit 2).
 */
export async function runCommand(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    const { exitCode, message } = describeError(error);
    process.stderr.write(`ssot: ${message}\n`);
    process.exitCode = exitCode;
  }
}
