#!/usr/bin/env node
import { createRequire } from 'node:module';
import { createProgram } from './program.js';

await createProgram().parseAsync(process.argv);
saveCompileCacheIfLoaded();

/**
 * After the work, so the code cache holds what this run compiled (see core/typescript-loader.cts).
 * Only when the command loaded TypeScript: importing the loader loads TypeScript, which `--help`,
 * `--version` and the commands that do not parse need not pay for. The loader is CommonJS, so once
 * loaded (by an import or a require) it is in require.cache.
 */
function saveCompileCacheIfLoaded(): void {
  const require = createRequire(import.meta.url);
  const loader = require.cache[require.resolve('../core/typescript-loader.cjs')]?.exports as
    typeof import('../core/typescript-loader.cjs') | undefined;
  loader?.saveCompileCache();
}
