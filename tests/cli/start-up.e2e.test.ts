// What each `ssot` command loads: its registration is all the program holds, and a command's
// implementation (with TypeScript, oxc-parser, the report pipeline or the codemods) is loaded when
// that command runs. `--version` and `--help` load none of it; `migrate` loads none of the report's
// code. The built CLI in a child process, with a recorder preloaded (NODE_OPTIONS=--import): a
// module hook logs every ES module and CommonJS entry imported, and at exit the CommonJS modules
// that were required (TypeScript is one: the core's loader compiles and registers it itself).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, copyDemo, ensureBuilt, REPO, ssotSync, tempDir } from '../helpers/index.js';

beforeAll(() => ensureBuilt());
afterAll(() => cleanup());

const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.SSOT_LOAD_LOG, url + '\\n');
  return next(url, context);
}
`;

const RECORDER = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register('./hooks.mjs', import.meta.url);
// A native binding's load, with the allocator setting it starts with (see core/native-allocator.ts).
const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  appendFileSync(process.env.SSOT_LOAD_LOG, 'dlopen ' + filename + ' MIMALLOC_ALLOW_THP=' + process.env.MIMALLOC_ALLOW_THP + '\\n');
  return dlopen.call(this, module, filename, ...rest);
};
process.on('exit', () => {
  appendFileSync(process.env.SSOT_LOAD_LOG, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n');
});
`;

let recorder: string;

beforeAll(() => {
  const dir = tempDir('load-recorder');
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
  fs.writeFileSync(path.join(dir, 'recorder.mjs'), RECORDER);
  recorder = pathToFileURL(path.join(dir, 'recorder.mjs')).href;
});

/** Runs `ssot <args>` and returns its result with the files it loaded, relative to the repo. */
function loadedBy(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string; loaded: string[]; dlopened: string[] } {
  const log = path.join(tempDir('load-log'), 'loaded.txt');
  fs.writeFileSync(log, '');
  const r = ssotSync(args, cwd, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${recorder}`.trim(),
    SSOT_LOAD_LOG: log,
    ...env,
  });
  const lines = fs.readFileSync(log, 'utf8').split('\n');
  const dlopened = lines.filter((line) => line.startsWith('dlopen ')).map((line) => line.slice('dlopen '.length));
  const loaded = lines
    .filter((entry) => entry.startsWith('file:') || entry.startsWith('/'))
    .map((entry) => (entry.startsWith('file:') ? fileURLToPath(entry) : entry))
    .filter((file) => file.startsWith(`${REPO}/`))
    .map((file) => path.relative(REPO, file));
  return { ...r, loaded: [...new Set(loaded)].sort(), dlopened };
}

/** The modules a bundled file holds (its source map's sources), relative to the repo. */
function bundledIn(file: string): string[] {
  const map = JSON.parse(fs.readFileSync(path.join(REPO, `${file}.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((source) => path.relative(REPO, path.resolve(REPO, path.dirname(file), source)));
}

/** What only a command's run needs: TypeScript, the parser, and every implementation module. */
const RUN_ONLY = [
  /^node_modules\/typescript\//,
  /^node_modules\/(@oxc-parser\/|oxc-parser\/)/,
  /^dist\/src\/cli\/actions\//,
  /^dist\/src\/(report|engine|migrate)\//,
  /^dist\/codemods\//,
  /^dist\/src\/core\/(?!config\/presets\.js$)/,
];

describe('ssot start-up: a command loads only what it runs', () => {
  it.each(['--version', '--help', 'report --help', 'check --help', 'init --help', 'migrate --help'])(
    'ssot %s loads no command implementation, TypeScript or parser',
    (args) => {
      const r = loadedBy(args.split(' '), REPO);
      expect(r.code, r.stderr).toBe(0);
      // The recorder saw the program itself: an empty list would pass everything below.
      expect(r.loaded).toContain('dist/src/cli/program.js');
      expect(r.loaded.filter((file) => RUN_ONLY.some((heavy) => heavy.test(file)))).toEqual([]);
    },
  );

  it('ssot migrate loads the codemods and TypeScript, and none of the report, its worker or cache', () => {
    const project = copyDemo();
    const r = loadedBy(['migrate', '--allow-dirty', '--dry-run', '--json', '.'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.filesChanged).toBeGreaterThan(0);
    expect(r.loaded).toEqual(
      expect.arrayContaining([
        'dist/src/cli/actions/migrate.js',
        'dist/src/migrate/run.js',
        'node_modules/typescript/lib/typescript.js',
      ]),
    );
    // The run and the modules only it loads come as one bundle (scripts/bundle-migrate.mjs) with
    // the chunks it imports; the codemod is in it. None of them is loaded again as tsc wrote it:
    // that would be a second instance of the module in the process.
    const bundles = r.loaded.filter(
      (file) => file === 'dist/src/migrate/run.js' || file.startsWith('dist/src/migrate/run-chunks/'),
    );
    const inlined = new Set(bundles.flatMap(bundledIn));
    expect([...inlined]).toEqual(
      expect.arrayContaining(['dist/codemods/import-migration.js', 'dist/src/core/rewrite/plan.js']),
    );
    expect(r.loaded.filter((file) => inlined.has(file) && !bundles.includes(file))).toEqual([]);
    const reportOnly = r.loaded.filter(
      (file) =>
        file.startsWith('dist/src/report/') ||
        /^dist\/src\/engine\/(report-worker|cache|cache-schema|analyze-project)\.js$/.test(file) ||
        /^dist\/src\/cli\/actions\/(report|check|init)\.js$/.test(file),
    );
    expect(reportOnly).toEqual([]);
  });

  it("oxc-parser's binding loads with mimalloc's huge pages off, unless the user set them", () => {
    // core/native-allocator.ts must run before the binding loads, bundled or not (an inlined module
    // runs after every external import of its chunk: the bundle keeps it a module of its own).
    const project = copyDemo();
    const oxc = (line: string) => /oxc-parser|@oxc-parser/.test(line);
    const r = loadedBy(['migrate', '--allow-dirty', '--dry-run', '--json', '.'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.dlopened.filter(oxc)).toEqual([expect.stringMatching(/ MIMALLOC_ALLOW_THP=0$/)]);
    const own = loadedBy(['migrate', '--allow-dirty', '--dry-run', '--json', '.'], project, {
      MIMALLOC_ALLOW_THP: '1',
    });
    expect(own.code, own.stderr).toBe(0);
    expect(own.dlopened.filter(oxc)).toEqual([expect.stringMatching(/ MIMALLOC_ALLOW_THP=1$/)]);
  });
});
