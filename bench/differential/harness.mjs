// The differential harness: every adapter of the migration (`ssot migrate`, `eslint --fix` with the
// plugin, the jscodeshift transform in the real runner) on its own fresh copy of a project, and each
// output file compared byte for byte with what the independent judge (judge.mjs) expects.
//
//   projects: every codemod fixture (fixtures/codemods/<case>/input, with its case.json args),
//   a generated corpus, or a real checkout with a config (`--repo <dir> --config <file>`).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { runCliInProcess } from '../lib/cli-in-process.mjs';
import { createJudge, SOURCE_EXTENSIONS } from './judge.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ESLINT = path.join(REPO, 'node_modules/eslint/bin/eslint.js');
const JSCODESHIFT = path.join(REPO, 'node_modules/jscodeshift/bin/jscodeshift.js');

/** The built adapters of an ssot-kit checkout (default this one; `--build <dir>` compares another build). */
function buildOf(dir = REPO) {
  return {
    bin: path.join(dir, 'dist/src/cli/bin.js'),
    plugin: path.join(dir, 'dist/rules/index.js'),
    transform: path.join(dir, 'dist/codemods/jscodeshift-transform.cjs'),
  };
}
export const ADAPTERS = ['migrate', 'eslint', 'jscodeshift'];

/** The message-router preset's names (plain data of ssot-kit, read by the judge). */
async function presetNames() {
  const mod = await import(pathToFileURL(path.join(REPO, 'dist/src/shared/presets/message-router.js')).href);
  return Object.keys(mod.COMPAT_REPLACEMENTS).filter((n) => !n.includes('#'));
}

// ---- which files a run covers: the config's include/exclude, every .gitignore, never node_modules ----

export function listSourceFiles(root, config) {
  const include = picomatch(config.include ?? [`**/*.{${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`], {
    dot: true,
  });
  const exclude = config.exclude?.length ? picomatch(config.exclude, { dot: true }) : () => false;
  const out = [];
  const walk = (dir, layers) => {
    let own;
    try {
      own = ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
    } catch {
      /* none */
    }
    const all = own ? [...layers, { dir, ig: own }] : layers;
    const ignored = (abs, isDir) =>
      all.some((l) => {
        const rel = path.relative(l.dir, abs).split(path.sep).join('/');
        return rel && !rel.startsWith('..') && l.ig.ignores(isDir ? `${rel}/` : rel);
      });
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (['node_modules', '.git', '.hg', '.svn'].includes(e.name) || ignored(abs, true)) continue;
        walk(abs, all);
      } else if (e.isFile() && include(rel) && !exclude(rel) && !ignored(abs, false)) out.push(rel);
    }
  };
  walk(root, []);
  return out.sort();
}

// ---- the adapters -----------------------------------------------------------------------------------

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const FLAG_FOR_JSCODESHIFT = { '--rename': '--rename=true', '--merge-imports': '--mergeImports=true' };
const EXTENSIONS = `--extensions=${SOURCE_EXTENSIONS.map((e) => e.slice(1)).join(',')}`;

/**
 * Runs one adapter over the copies of a batch of projects (same args); returns problem texts.
 * `ssot migrate` runs once per project (its root): a child process for a single project (a real
 * repository), else the built CLI's program in this process, one project after the other (same
 * code and output, without a Node start-up and a TypeScript load per fixture). ESLint and the
 * jscodeshift runner run once for the whole batch, as a team would run them over a monorepo: each
 * file finds its project's ssot.config.json upwards. They get the judged files by name, so all
 * three cover the same files.
 */
async function runAdapter(adapter, batch, args, build, workDir) {
  const problems = [];
  if (adapter === 'migrate') {
    for (const { copy } of batch) {
      const argv = ['migrate', '--allow-dirty', '--json', ...args, '.'];
      const r =
        batch.length === 1
          ? run(process.execPath, [build.bin, ...argv], copy)
          : await runCliInProcess(build.bin, argv, copy, { NO_COLOR: '1', CI: '1' });
      if (r.code !== 0 && r.code !== 1) problems.push(`ssot migrate exited ${r.code}: ${r.stderr.slice(-400)}`);
    }
    return problems;
  }
  const files = batch.flatMap(({ copy, files }) => files.map((f) => path.join(copy, f)));
  if (adapter === 'eslint') {
    // The recommended config of the built plugin, from outside the copies. The projects' own rules
    // are not loaded, so their eslint-disable comments would look unused and --fix would delete
    // them: not reported.
    const config = path.join(workDir, 'eslint.config.mjs');
    fs.writeFileSync(
      config,
      [
        `import ssot from ${JSON.stringify(pathToFileURL(build.plugin).href)};`,
        "export default [{ linterOptions: { reportUnusedDisableDirectives: 'off' } }, ...ssot.configs.recommended];",
        '',
      ].join('\n'),
    );
    const r = run(
      process.execPath,
      [ESLINT, '--config', config, '--fix', '--no-warn-ignored', '--format', 'json', ...files],
      workDir,
    );
    if (r.code !== 0 && r.code !== 1) problems.push(`eslint exited ${r.code}: ${(r.stderr || r.stdout).slice(-400)}`);
    return problems;
  }
  const extra = args.map((a) => FLAG_FOR_JSCODESHIFT[a] ?? a);
  const r = run(
    process.execPath,
    [JSCODESHIFT, '-t', build.transform, '--parser=tsx', EXTENSIONS, ...extra, ...files],
    workDir,
  );
  if (r.code !== 0) problems.push(`jscodeshift exited ${r.code}: ${r.stderr.slice(-400)}`);
  return problems;
}

/** ESLint has no --rename or --merge-imports: such runs are not its to judge. */
function applicable(adapter, args) {
  return adapter !== 'eslint' || args.length === 0;
}

// ---- projects ----------------------------------------------------------------------------------------

/** The judge's expectation for every file of a project in scope. */
async function judgeProject(p) {
  const args = p.args ?? [];
  const configFile = p.config ?? path.join(p.src, 'ssot.config.json');
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  const judge = createJudge(p.src, {
    config,
    presetNames: await presetNames(),
    rename: args.includes('--rename'),
    mergeImports: args.includes('--merge-imports'),
  });
  const files = listSourceFiles(p.src, config);
  const expected = new Map();
  const unjudged = [];
  let sites = 0;
  let refusals = 0;
  let toChange = 0;
  for (const rel of files) {
    const bytes = fs.readFileSync(path.join(p.src, rel));
    const text = bytes.toString('utf8');
    // A file that is not valid UTF-8 (or binary) is never rewritten.
    if (!Buffer.from(text, 'utf8').equals(bytes) || text.includes('\0')) {
      expected.set(rel, bytes);
      continue;
    }
    const verdict = judge.judgeFile(path.join(p.src, rel), text);
    if (verdict.kind === 'unjudged') {
      unjudged.push({ file: rel, reason: verdict.reason });
      continue;
    }
    expected.set(rel, Buffer.from(verdict.expected, 'utf8'));
    sites += verdict.sites;
    refusals += verdict.refusals;
    if (verdict.expected !== text) toChange++;
  }
  return {
    configFile,
    expected,
    result: {
      name: p.name,
      args,
      files: files.length,
      judged: expected.size,
      toChange,
      sites,
      refusals,
      unjudged,
      adapters: {},
    },
  };
}

/**
 * Every adapter on its own fresh copy of each project, each output file compared byte for byte
 * with the judge's expectation, and no other file changed.
 * @param {{ name: string, src: string, config?: string, args?: string[] }[]} projects
 *   src: the project (never written); config: a config file to use (copied into each copy as
 *   ssot.config.json; default src/ssot.config.json); args: `ssot migrate` flags.
 * @param {{ workDir: string, adapters?: string[], keepWork?: boolean, build?: string }} options
 */
export async function runProjects(projects, options) {
  const judged = [];
  for (const p of projects) judged.push({ p, ...(await judgeProject(p)) });
  const build = buildOf(options.build);
  for (const adapter of options.adapters ?? ADAPTERS) {
    const groups = new Map();
    for (const j of judged) {
      if (!applicable(adapter, j.result.args)) {
        j.result.adapters[adapter] = { applicable: false };
        continue;
      }
      const copy = path.join(options.workDir, adapter, j.p.name);
      fs.rmSync(copy, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.cpSync(j.p.src, copy, { recursive: true });
      fs.copyFileSync(j.configFile, path.join(copy, 'ssot.config.json'));
      const key = j.result.args.join(' ');
      groups.set(key, [...(groups.get(key) ?? []), { j, copy, files: [...j.expected.keys()] }]);
    }
    for (const batch of groups.values()) {
      const problems = await runAdapter(
        adapter,
        batch,
        batch[0].j.result.args,
        build,
        path.join(options.workDir, adapter),
      );
      for (const { j, copy } of batch) {
        j.result.adapters[adapter] = {
          applicable: true,
          ...compareCopy(j, copy),
          ...(problems.length ? { problem: problems.join('; ') } : {}),
        };
        if (!options.keepWork) fs.rmSync(copy, { recursive: true, force: true });
      }
    }
  }
  for (const { result } of judged) {
    result.ok = Object.values(result.adapters).every(
      (a) => !a.applicable || (a.exact === result.judged && a.stray.length === 0 && !a.problem),
    );
  }
  return judged.map((j) => j.result);
}

function compareCopy(j, copy) {
  const mismatches = [];
  let exact = 0;
  for (const [rel, want] of j.expected) {
    const got = fs.readFileSync(path.join(copy, rel));
    if (got.equals(want)) exact++;
    else mismatches.push({ file: rel, ...firstDifference(want.toString('utf8'), got.toString('utf8')) });
  }
  // Nothing outside the judged files may change either (the config copied in aside).
  const skip = new Set([...j.expected.keys(), ...j.result.unjudged.map((u) => u.file), 'ssot.config.json']);
  const stray = listAll(j.p.src).filter((rel) => {
    if (skip.has(rel)) return false;
    const now = path.join(copy, rel);
    return !fs.existsSync(now) || !fs.readFileSync(now).equals(fs.readFileSync(path.join(j.p.src, rel)));
  });
  return { exact, mismatches, stray };
}

function listAll(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.push(path.relative(root, abs).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out;
}

function firstDifference(want, got) {
  const a = want.split('\n');
  const b = got.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return { line: i + 1, expected: a[i] ?? '(end of file)', actual: b[i] ?? '(end of file)' };
}

// ---- the project sets ---------------------------------------------------------------------------------

/**
 * Every codemod fixture the three adapters share. Cases of `ssot migrate` only (case.json
 * `jscodeshift: false`: stage 2, or a stage-1 adaptation the type checker decides) are not the
 * judge's: it models the import rewrite, which is all ESLint and jscodeshift do.
 */
export function fixtureProjects() {
  const dir = path.join(REPO, 'fixtures/codemods');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, meta: JSON.parse(fs.readFileSync(path.join(dir, e.name, 'case.json'), 'utf8')) }))
    .filter(({ meta }) => meta.jscodeshift !== false)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, meta }) => ({ name, src: path.join(dir, name, 'input'), args: meta.args }));
}

/** A line per project and adapter; the totals. */
export function formatResults(results) {
  const lines = [];
  const total = {
    judged: 0,
    toChange: 0,
    sites: 0,
    unjudged: 0,
    exact: Object.fromEntries(ADAPTERS.map((a) => [a, 0])),
    of: Object.fromEntries(ADAPTERS.map((a) => [a, 0])),
  };
  for (const r of results) {
    total.judged += r.judged;
    total.toChange += r.toChange;
    total.sites += r.sites;
    total.unjudged += r.unjudged.length;
    const cells = ADAPTERS.map((a) => {
      const x = r.adapters[a];
      if (!x) return `${a}: -`;
      if (!x.applicable) return `${a}: n/a`;
      total.exact[a] += x.exact;
      total.of[a] += r.judged;
      const stray = x.stray.length ? `, ${x.stray.length} stray` : '';
      return `${a}: ${x.exact}/${r.judged}${stray}${x.problem ? ' (failed)' : ''}`;
    });
    const name = `${r.name}${r.args.length ? ` [${r.args.join(' ')}]` : ''}`;
    const unjudged = r.unjudged.length ? `, ${r.unjudged.length} unjudged (${r.unjudged[0].reason})` : '';
    const moved = `${r.sites} sites moved, ${r.refusals} refused`;
    const counts = `${r.files} files, ${r.toChange} to change, ${moved}${unjudged}`;
    lines.push(`${r.ok ? 'ok  ' : 'FAIL'} ${name}: ${counts}; exact ${cells.join(', ')}`);
    for (const a of ADAPTERS) {
      const x = r.adapters[a];
      if (!x?.applicable) continue;
      if (x.problem) lines.push(`     ${a}: ${x.problem}`);
      for (const m of x.mismatches.slice(0, 5))
        lines.push(`     ${a}: ${m.file}:${m.line}\n       expected: ${m.expected}\n       actual:   ${m.actual}`);
      if (x.mismatches.length > 5) lines.push(`     ${a}: ... and ${x.mismatches.length - 5} more files`);
      for (const s of x.stray.slice(0, 5)) lines.push(`     ${a}: changed a file it must not: ${s}`);
    }
  }
  const exact = ADAPTERS.map((a) => `${a} ${total.exact[a]}/${total.of[a]}`).join(', ');
  const judged = `${total.judged} files judged (${total.toChange} to change, ${total.sites} sites)`;
  lines.push(`total: ${judged}, ${total.unjudged} unjudged; exact: ${exact}`);
  return lines.join('\n');
}
