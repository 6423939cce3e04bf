import { createRequire } from 'node:module';
import type * as CoreModule from '../../src/core/index.js';
import type * as RewriteModule from '../../src/core/rewrite/index.js';

/** The analysis core and its rewrite planner: everything the rules call. */
export type CoreApi = typeof CoreModule & typeof RewriteModule;

let loaded: CoreApi | undefined;

/**
 * The core, loaded on the first linted file rather than when ESLint loads the config: the core
 * imports TypeScript, and importing that large CommonJS module from ESM costs Node a scan of its
 * whole source for export names in every process. A warm `--cache` run that lints no file never
 * pays it. Node >= 20.19 can require() the core's ES modules synchronously.
 */
export function core(): CoreApi {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = {
      ...(require('../../src/core/index.js') as typeof CoreModule),
      ...(require('../../src/core/rewrite/index.js') as typeof RewriteModule),
    };
  }
  return loaded;
}

/** Supplies the core when running from TypeScript sources (tests), where require() cannot load .ts. */
export function provideCore(api: CoreApi): void {
  loaded = api;
}
