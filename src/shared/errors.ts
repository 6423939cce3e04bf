/**
 * A problem with the command's inputs (a flag, a path, a config, a baseline, a git ref): the CLI
 * prints the message, which names the file, key or flag, and exits 2 with nothing decided.
 * Every domain module throws this class or a subclass; `src/cli/exit-codes.ts` maps errors to
 * exit codes in one place.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
