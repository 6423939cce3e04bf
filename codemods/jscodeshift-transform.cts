/**
 * ssot-kit's migration as a jscodeshift transform (`ssot-kit/jscodeshift`):
 *
 *   npx jscodeshift -t node_modules/ssot-kit/dist/codemods/jscodeshift-transform.cjs --parser=tsx src
 *   options: --ssotConfig=<path> or --config=<path> (default: found from each file's folder upwards), --rename=true,
 *            --mergeImports=true, --concept=<id>
 *
 * It does not use jscodeshift's parser or printer: it hands `file.source` to the same core
 * planner `ssot migrate` uses and returns the spliced text, so the output is byte for byte what
 * `ssot migrate` writes, untouched code is never reprinted, and `<T>x` casts in .ts files (which
 * jscodeshift's tsx parser cannot read) are no problem.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { API, FileInfo, Options } from 'jscodeshift';
import type * as Core from '../src/core/index.js';
import type * as MigrateFile from './import-migration.js';

interface Loaded {
  core: typeof Core;
  migrateFile: typeof MigrateFile;
}

// jscodeshift compiles transforms and everything they require() under the working directory
// with @babel/register, which would turn the ESM core into broken CommonJS. A dynamic import()
// goes through Node's ESM loader instead; `new Function` keeps babel from rewriting it to require().
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/**
 * jscodeshift's runner registers @babel/register (without its node_modules exclusion) before it
 * loads a transform; left on, it would recompile TypeScript's compiler on every run. This
 * transform needs no compilation, so it switches the hook off in its own worker process.
 */
function revertBabelRegister(): void {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]@babel[\\/]register[\\/]lib[\\/](index|node|nodeWrapper)\.c?js$/.test(file)) continue;
    const revert = (mod?.exports as { revert?: () => void } | undefined)?.revert;
    if (typeof revert === 'function') revert();
  }
}

let loading: Promise<Loaded> | undefined;
function load(): Promise<Loaded> {
  revertBabelRegister();
  loading ??= Promise.all([
    importEsm(pathToFileURL(path.join(__dirname, '../src/core/index.js')).href),
    importEsm(pathToFileURL(path.join(__dirname, './import-migration.js')).href),
  ]).then(([core, migrateFile]) => ({ core: core as typeof Core, migrateFile: migrateFile as typeof MigrateFile }));
  return loading;
}

const contexts = new Map<string, MigrateFile.MigrationContext>();

function contextFor(loaded: Loaded, file: string, configPath: string | undefined): MigrateFile.MigrationContext {
  const found = configPath ? path.resolve(configPath) : loaded.core.findConfigFile(path.dirname(file));
  if (!found) throw new Error(`no ssot config found for ${file} (pass --ssotConfig=<path>)`);
  let ctx = contexts.get(found);
  if (!ctx) {
    ctx = loaded.migrateFile.createMigrationContext(loaded.core.loadConfig({ configPath: found }));
    contexts.set(found, ctx);
  }
  return ctx;
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);
}

async function transform(file: FileInfo, api: API, options: Options): Promise<string | undefined> {
  const loaded = await load();
  const absolute = path.resolve(file.path);
  // --ssotConfig=<path>; --config=<path> is accepted too (jscodeshift passes unknown options through).
  const configOption = [options.ssotConfig, options.config].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  const ctx = contextFor(loaded, absolute, configOption);
  const concepts = list(options.concept);
  const flag = (value: unknown): boolean => value === true || value === 'true';
  const result = loaded.migrateFile.migrateText(ctx, absolute, file.source, {
    rename: flag(options.rename),
    mergeImports: flag(options.mergeImports) || flag(options['merge-imports']),
    ...(concepts ? { concepts } : {}),
  });
  for (const r of result.refused)
    api.report(`refused ${r.form} '${r.specifier}' at ${r.line}:${r.column}: ${r.reason}`);
  if (result.status === 'failed') throw new Error(result.error ?? 'refused');
  // undefined = skipped (nothing to do); the same text = unchanged.
  if (result.status === 'unchanged') return result.parsed ? file.source : undefined;
  return result.output;
}

export = transform;
