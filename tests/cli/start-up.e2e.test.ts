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
function loadedBy(args: string[], cwd: string): { code: number; stdout: string; stderr: string; loaded: string[] } {
  const log = path.join(tempDir('load-log'), 'loaded.txt');
  fs.writeFileSync(log, '');
  const r = ssotSync(args, cwd, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${recorder}`.trim(),
    SSOT_LOAD_LOG: log,
  });
  const loaded = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((entry) => entry.startsWith('file:') || entry.startsWith('/'))
    .map((entry) => (entry.startsWith('file:') ? fileURLToPath(entry) : entry))
    .filter((file) => file.startsWith(`${REPO}/`))
    .map((file) => path.relative(REPO, file));
  return { ...r, loaded: [...new Set(loaded)].sort() };
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
        'dist/codemods/import-migration.js',
        'node_modules/typescript/lib/typescript.js',
      ]),
    );
    const reportOnly = r.loaded.filter(
      (file) =>
        file.startsWith('dist/src/report/') ||
        /^dist\/src\/engine\/(report-worker|cache|cache-schema|analyze-project)\.js$/.test(file) ||
        /^dist\/src\/cli\/actions\/(report|check|init)\.js$/.test(file),
    );
    expect(reportOnly).toEqual([]);
  });
});
