import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { registerReport } from './commands/report.js';
import { registerCheck } from './commands/check.js';
import { registerInit } from './commands/init.js';
import { registerMigrate } from './commands/migrate.js';
import { packageVersion } from '../shared/version.js';
import { EXIT_ERROR } from './exit-codes.js';

/**
 * commander is CommonJS: required, not imported, so Node's ES module loader does not run its
 * CommonJS export scanner over it at every start (8 ms instead of 12; the types stay commander's).
 */
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

/**
 * The `ssot` program: one sub-command per file under ./commands. Those files hold only the
 * registration (arguments, options, help); each command's implementation, under ./actions, is
 * imported when the command runs, so `--help`, `--version` and every other command start without
 * loading it (TypeScript, the parsers, the report pipeline, the codemods).
 */
export function createProgram(): Command {
  const program = new commander.Command('ssot')
    .description('keep one concept implemented exactly once: report, gate, migrate')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride((err) => {
      // Usage errors exit 2 like config errors; --help and --version exit 0.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        process.exit(0);
      process.exit(EXIT_ERROR);
    });
  registerReport(program);
  registerCheck(program);
  registerInit(program);
  registerMigrate(program);
  return program;
}
