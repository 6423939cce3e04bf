import type { Command } from 'commander';
import type { InitFlags } from '../actions/init.js';
import { runCommand } from '../run-command.js';
import { PRESETS } from '../../core/config/presets.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .summary('write a starting ssot.config.json')
    .description(
      'find the implementations of a concept and write a starting ssot.config.json naming their modules as legacy',
    )
    .argument('[path]', 'project folder (default: the cwd)')
    .option(
      '--canonical <module>',
      'the concept is what this module implements (a repo path): its shape and registries are read from its AST',
    )
    .option(
      '--name <export>',
      'with --canonical: the export that is the canonical implementation ' +
        '(default: the only one, or the one named like the file)',
    )
    .option('--id <concept-id>', 'with --canonical: the concept id (default: from the export name: Emitter -> emitter)')
    .option(
      '--preset <name>',
      `a built-in concept instead (${Object.keys(PRESETS).join(', ')}); the default without --canonical: message-router`,
    )
    .option('--force', 'overwrite an existing ssot.config.json')
    .option('--dry-run', 'print the config instead of writing it')
    .option('--print-config', 'print only the config JSON (for scripts); writes nothing')
    .action((target: string | undefined, flags: InitFlags) =>
      runCommand(async () => (await import('../actions/init.js')).initAction(target, flags)),
    );
}
