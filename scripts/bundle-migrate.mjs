#!/usr/bin/env node
// `npm run build`, after tsc: `ssot migrate`'s run (dist/src/migrate/run.js and the ~55 modules only
// it loads: the analysis core, the planner, the codemod) becomes one module, in place.
//
// Why: on Node 20 each ES module costs a resolution, an asynchronous read and a link of its own;
// importing run.js as tsc wrote it took 31-35 ms of the main thread on every run, 16-21 ms bundled
// (docs/benchmarks.md, "Issue #17"). The command's other modules stay as tsc wrote them.
//
// One instance of every module per thread: a module that a migrate process may load without going
// through run.js (the CLI, the migrate command's action, the read thread's modules, and whatever
// those import, statically or dynamically; another command's action never runs in the same
// process) is external to the bundle, imported by its path, never copied in.
// run.js's own dynamic imports (stage 2, --typecheck) become chunks beside it, sharing what they
// share with it. Helper threads load src/migrate/worker.js as tsc wrote it, in threads of their own.
// Every import.meta.url in the bundled modules is resolved from src/migrate/, where run.js is:
// run.ts's worker URL is relative to itself, checker-scope.ts looks upwards for the package.json,
// user-regex.ts requires a package; a module whose URL would mean something else must stay external.
//
//   node scripts/bundle-migrate.mjs [distDir] [--verbose]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';
import { rolldown } from 'rolldown';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(repo, 'dist'));
const entry = path.join(dist, 'src/migrate/run.js');
const COMPUTED_IMPORTS_ALLOWED = new Set([path.join('src', 'engine', 'pool.js')]);
const BANNER = '// ssot-kit: bundled by scripts/bundle-migrate.mjs from the modules tsc wrote';

/** The relative imports of a compiled module (static, re-exports and dynamic ones with a literal), resolved. */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const { module, errors } = parseSync(file, text);
  if (errors.length > 0) throw new Error(`${file}: does not parse: ${errors[0].message}`);
  const specifiers = [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.map((x) => x.moduleRequest?.value).filter(Boolean)),
  ];
  for (const d of module.dynamicImports) {
    const literal = /^\s*(['"])([^'"]*)\1\s*$/.exec(text.slice(d.moduleRequest.start, d.moduleRequest.end));
    if (literal) specifiers.push(literal[2]);
    // The pool imports a worker module by URL for a main thread given no run of its own; migrate
    // always gives it one (run.ts, `local`), so in a migrate process that import never happens.
    else if (!COMPUTED_IMPORTS_ALLOWED.has(path.relative(dist, file)))
      throw new Error(`${file}: a dynamic import of a computed specifier cannot be followed`);
  }
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
}

/** Every module reachable from `starts`, not through `stops`. */
function closure(starts, stops) {
  const seen = new Set();
  const todo = [...starts];
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file) || stops.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.js') || file.endsWith('.mjs')) todo.push(...importsOf(file));
  }
  return seen;
}

if (fs.readFileSync(entry, 'utf8').startsWith(BANNER)) {
  console.error(`${path.relative(repo, entry)} is bundled already: run tsc first (npm run build)`);
  process.exit(1);
}

// What a migrate process may load in its main thread besides run.js's own modules: the CLI with
// the migrate command's action (another command's action never runs in the same process) and the
// read thread's modules. (A process that runs several commands in turn, as the tests do in-process,
// may hold a bundled and an unbundled copy of an analysis module: the only classes tested with
// instanceof, UsageError and WriteError, are in shared modules, which stay external.)
const actions = path.join(dist, 'src/cli/actions');
const otherActions = fs
  .readdirSync(actions)
  .filter((f) => f.endsWith('.js') && f !== 'migrate.js')
  .map((f) => path.join(actions, f));
// A module imported for its side effects alone (`import './native-allocator.js'`, which must run
// before oxc-parser loads) keeps its place among the imports only as a module of its own: inlined,
// its code would run after every external import of the chunk.
const sideEffectOnly = new Set();
for (const file of closure([entry], new Set())) {
  if (!file.endsWith('.js')) continue;
  const { module } = parseSync(file, fs.readFileSync(file, 'utf8'));
  for (const i of module.staticImports)
    if (i.entries.length === 0 && i.moduleRequest.value.startsWith('.'))
      sideEffectOnly.add(path.resolve(path.dirname(file), i.moduleRequest.value));
}
const outside = closure(
  [path.join(dist, 'src/cli/bin.js'), path.join(actions, 'migrate.js'), path.join(dist, 'src/migrate/write-behind.js')],
  new Set([entry, ...otherActions]),
);

const chunks = path.join(dist, 'src/migrate/run-chunks');
fs.rmSync(chunks, { recursive: true, force: true });
const bundle = await rolldown({
  input: entry,
  platform: 'node',
  plugins: [
    {
      name: 'keep-shared-modules-external',
      resolveId(source, importer) {
        if (!importer) return null;
        if (!source.startsWith('.')) return { id: source, external: true };
        const file = path.resolve(path.dirname(importer), source);
        if (outside.has(file) || sideEffectOnly.has(file) || file.endsWith('.cjs')) return { id: file, external: true };
        return null;
      },
    },
  ],
});
const { output } = await bundle.write({
  dir: path.dirname(entry),
  format: 'esm',
  entryFileNames: 'run.js',
  chunkFileNames: 'run-chunks/[name]-[hash].js',
  banner: BANNER,
  sourcemap: true,
});
await bundle.close();
if (process.argv.includes('--verbose')) {
  const files = output.filter((o) => o.type === 'chunk');
  const inlined = files.flatMap((o) => o.moduleIds);
  console.log(`bundled ${path.relative(repo, entry)}: ${inlined.length} modules in ${files.length} file(s)`);
}
