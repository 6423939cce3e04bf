import type { Command } from 'commander';

/** Placeholder until the `init` command lands; replaced by its owner. */
export function registerInit(program: Command): void {
  program.command('init').description('(not implemented yet)').action(() => {
    process.stderr.write('ssot init: not implemented yet\n');
    process.exitCode = 2;
  });
}
