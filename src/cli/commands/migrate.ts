import type { Command } from 'commander';

/** Placeholder until the `migrate` command lands; replaced by its owner. */
export function registerMigrate(program: Command): void {
  program.command('migrate').description('(not implemented yet)').action(() => {
    process.stderr.write('ssot migrate: not implemented yet\n');
    process.exitCode = 2;
  });
}
