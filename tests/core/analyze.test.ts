import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig } from '../../src/core/config/load.js';
import { analyzeFile, createAnalysisContext, relativeToRoot } from '../../src/core/analyze.js';
import { analyzeProject } from '../../src/core/project.js';
import { filesUpTo, listFiles } from '../../src/core/files.js';
import { analyzeProjectParallel } from '../../src/engine/analyze-project.js';
import { SiteClassifier } from '../../src/core/classify.js';
import { makeProject, removeProject } from '../helpers/index.js';

const demoRoot = path.resolve(import.meta.dirname, '../../fixtures/demo-app');
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(removeProject));

describe('the demo app', () => {
  const config = loadConfig({ cwd: demoRoot });
  const result = analyzeProject(config);
  const rel = (f: string) => path.relative(demoRoot, f);

  it('finds the four router implementations, and not the look-alikes or the wrappers', () => {
    const found = result.analyses.flatMap((a) => a.duplicates.map((d) => `${rel(d.file)}:${d.line} ${d.symbol}`));
    expect(found.sort()).toEqual([
      'src/events/event-router.ts:12 ChatMessageRouter',
      'src/realtime-shim/connection-hub.ts:6 connectionHub',
      'src/websocket/message-router.ts:15 MessageRouter',
      'src/websocket/quality-router.ts:8 QualityMessageRouter',
    ]);
    const text = result.analyses.flatMap((a) => a.duplicates.map((d) => d.symbol)).join(' ');
    expect(text).not.toMatch(/HttpRouter|Notifier|broadcastToUser|getMessageRouter/);
  });

  it('finds legacy import sites in every form the demo uses, and the deleted module', () => {
    const legacy = result.analyses.flatMap((a) =>
      a.sites.filter((s) => s.target.kind === 'legacy').map((s) => ({ file: rel(a.file), form: s.form, s })),
    );
    const forms = new Set(legacy.map((l) => l.form));
    // (No `export ... from` a legacy module: the demo migrates to the end, and a re-export of a
    // compat name is refused by stage 2; the codemod fixtures cover that form.)
    for (const form of ['import', 'import-type', 'require', 'dynamic-import', 'mock']) expect(forms).toContain(form);
    const missing = legacy.filter((l) => l.s.target.kind === 'legacy' && l.s.target.missing);
    // broadcast.ts and quality-router.ts are legacy modules themselves: their imports of
    // message-router go with them.
    const internal = legacy.filter((l) => l.s.target.kind === 'legacy' && l.s.target.internal);
    expect(internal.map((m) => `${m.file}:${m.s.line}`).sort()).toEqual([
      'src/services/broadcast.ts:1',
      'src/websocket/quality-router.ts:1',
    ]);
    expect(missing.map((m) => `${m.file}:${m.s.line}`)).toEqual(['src/jobs/digest.ts:1']);
    // Every legacy site's file:line points at the specifier text that names it.
    for (const l of legacy) {
      const line = fs.readFileSync(path.join(demoRoot, l.file), 'utf8').split('\n')[l.s.line - 1]!;
      expect(line.slice(l.s.column - 1)).toMatch(
        new RegExp(`^['"\`]${l.s.specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
    }
  });

  it('the prefilter is sound: analysing every file without it finds exactly the same', () => {
    const ctx = createAnalysisContext(config);
    for (const file of result.files) {
      const text = fs.readFileSync(file, 'utf8');
      const full = analyzeFile(ctx, file, text, { skipPrefilter: true });
      const fast = analyzeFile(ctx, file, text);
      expect(fast.sites, relativeToRoot(ctx, file)).toEqual(
        full.sites.filter((s) => s.target.kind !== 'other' || fast.parsed),
      );
      expect(fast.duplicates).toEqual(full.duplicates);
      if (!fast.parsed) expect(full.sites.filter((s) => s.target.kind !== 'other')).toEqual([]);
    }
    expect(result.analyses.some((a) => !a.parsed)).toBe(true);
  });

  it('worker threads give the same analysis as one thread', async () => {
    const inThread = await analyzeProjectParallel(config, { jobs: 2 });
    expect(inThread.analyses).toEqual(result.analyses);
    // Real threads need the built worker module (npm test builds first).
    const built = path.resolve(import.meta.dirname, '../../dist/src/engine/analyze-project.js');
    expect(fs.existsSync(built), 'run `npm run build` first').toBe(true);
    const { analyzeProjectParallel: builtParallel } = (await import(
      built
    )) as typeof import('../../src/engine/analyze-project.js');
    const threaded = await builtParallel(config, { jobs: 2, minItemsForHelpers: 1 });
    expect(threaded.analyses).toEqual(result.analyses);
  });
});

describe('scope and odd files', () => {
  it('honours include/exclude and .gitignore, never node_modules', () => {
    const root = makeProject({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': '',
      'src/b.gen.ts': '',
      'src/c.test.ts': '',
      'src/d.md': '',
      'generated/e.ts': '',
      'node_modules/pkg/index.js': '',
      'packages/p/.gitignore': 'out/\n',
      'packages/p/out/f.ts': '',
      'packages/p/g.tsx': '',
    });
    roots.push(root);
    const config = resolveConfig(
      { exclude: ['**/*.test.ts'], concepts: [{ id: 'r', preset: 'message-router' }] },
      root,
    );
    expect(listFiles(config).files.map((f) => path.relative(root, f))).toEqual(['packages/p/g.tsx', 'src/a.ts']);
    expect(listFiles(config, [path.join(root, 'packages')]).files.map((f) => path.relative(root, f))).toEqual([
      'packages/p/g.tsx',
    ]);
    expect(listFiles(config, [path.join(root, 'nope')]).missing).toEqual([path.join(root, 'nope')]);
    // An upper bound of the scope's size, counted up to n: every file but node_modules'.
    const all = ['.gitignore', 'src/a.ts', 'src/b.gen.ts', 'src/c.test.ts', 'src/d.md', 'generated/e.ts'].length + 3;
    expect(filesUpTo([root], 100)).toBe(all);
    expect(filesUpTo([root], 4)).toBe(4);
    expect(filesUpTo([path.join(root, 'src/a.ts'), path.join(root, 'packages')], 100)).toBe(4);
    expect(filesUpTo([path.join(root, 'nope')], 100)).toBe(0);
  });

  it('a file that does not parse is a finding with its position; the rest of the run goes on', () => {
    const root = makeProject({
      'src/broken.ts': `import { MessageRouter } from './legacy';\nexport const = ;\n`,
      'src/legacy.ts': `export class MessageRouter {}`,
      'src/ok.ts': `import { MessageRouter } from './legacy';`,
      'src/binary.ts': Buffer.from([0x69, 0x6d, 0, 0x70]).toString('latin1'),
    });
    roots.push(root);
    const config = resolveConfig(
      { concepts: [{ id: 'r', preset: 'message-router', legacy: [{ module: 'src/legacy.ts' }] }] },
      root,
    );
    const result = analyzeProject(config);
    const broken = result.analyses.find((a) => a.file.endsWith('broken.ts'))!;
    expect(broken.parseErrors[0]).toMatchObject({ file: path.join(root, 'src/broken.ts'), line: 2 });
    // What could be read is still reported.
    expect(broken.sites.filter((s) => s.target.kind === 'legacy')).toHaveLength(1);
    expect(result.analyses.find((a) => a.file.endsWith('ok.ts'))!.sites).toHaveLength(1);
    expect(result.skipped).toEqual([
      { file: path.join(root, 'src/binary.ts'), reason: 'binary file (contains a NUL byte)' },
    ]);
  });
});

describe('the specifier prefilter (resolution is skipped only where it cannot matter)', () => {
  it('classifies every site exactly as full resolution does, for aliases that do not spell the module', () => {
    const root = makeProject({
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'ESNext',
          moduleResolution: 'Bundler',
          paths: {
            '@events/*': ['./src/ws-events/*'],
            '@impl/*': ['./src/old/*-impl'],
            '@feat/*': ['./src/feature/*'],
            '@app/*': ['./src/*'],
          },
        },
      }),
      'src/ws-events/index.ts': `export * from './bus';\nexport class WebSocketEventRouter {}`,
      'src/ws-events/bus.ts': `export const bus = 1;`,
      'src/old/router-impl.ts': `export class MessageRouter {}`,
      'src/feature/index.ts': `export class QualityMessageRouter {}`,
      'src/other/util.ts': `export const u = 1;`,
      'src/app.ts': [
        `import { bus } from '@events/bus';`,
        `import { MessageRouter } from '@impl/router';`,
        `import { QualityMessageRouter } from '@feat/index';`,
        `import { u } from '@app/other/util';`,
        `import { WebSocketEventRouter } from '@app/ws-events';`,
        `import * as fs from 'node:fs';`,
        `import { x } from './nowhere';`,
      ].join('\n'),
      'src/feature/use.ts': `import { QualityMessageRouter } from '.';`,
    });
    roots.push(root);
    const config = resolveConfig(
      {
        concepts: [
          {
            id: 'r',
            preset: 'message-router',
            legacy: [
              { module: 'src/ws-events' },
              { module: 'src/old/router-impl.ts' },
              { module: 'src/feature/index.ts' },
            ],
          },
        ],
      },
      root,
    );
    const ctx = createAnalysisContext(config);
    const unfiltered = new SiteClassifier(config, ctx.resolver);
    for (const file of listFiles(config).files) {
      const text = fs.readFileSync(file, 'utf8');
      const analysis = analyzeFile(ctx, file, text, { skipPrefilter: true });
      for (const site of analysis.sites) {
        expect(site.target, `${relativeToRoot(ctx, file)} ${site.specifier}`).toEqual(
          unfiltered.classify(site, file).target,
        );
      }
      expect(
        ctx.prefilter.mayMatch(text, file) || analysis.sites.every((s) => s.target.kind === 'other'),
        relativeToRoot(ctx, file),
      ).toBe(true);
    }
    const app = analyzeFile(ctx, path.join(root, 'src/app.ts'), fs.readFileSync(path.join(root, 'src/app.ts'), 'utf8'));
    expect(app.sites.map((s) => s.target.kind)).toEqual([
      'legacy',
      'legacy',
      'legacy',
      'other',
      'legacy',
      'other',
      'other',
    ]);
    // Only the sites that could matter were resolved.
    expect(app.sites.filter((s) => s.resolution.kind === 'not-resolved').map((s) => s.specifier)).toEqual([
      '@app/other/util',
      'node:fs',
      './nowhere',
    ]);
  });
});

describe('canonical files in the prefilter', () => {
  it('imports of files matched by canonical.files are found without disabling the prefilter', () => {
    const root = makeProject({
      'src/canonical/router.ts': `export class Router {}`,
      'src/canonical/impl/core.ts': `export const core = 1;`,
      'src/canonical/index.ts': `import { core } from './impl/core';\nexport { core };`,
      'src/app/use.ts': `import { Router } from '../canonical/router';`,
      'src/app/plain.ts': `export const answer = 42;`,
    });
    roots.push(root);
    const config = resolveConfig(
      {
        concepts: [
          {
            id: 'r',
            canonical: { module: 'src/canonical/router.ts', files: ['src/canonical/**'] },
            legacy: [{ module: 'src/legacy.ts' }],
          },
        ],
      },
      root,
    );
    const ctx = createAnalysisContext(config);
    const unfiltered = new SiteClassifier(config, ctx.resolver);
    expect(ctx.prefilter.passAll).toBe(false);
    expect(ctx.prefilter.mayMatch('export const answer = 42;', path.join(root, 'src/app/plain.ts'))).toBe(false);
    for (const file of listFiles(config).files) {
      const text = fs.readFileSync(file, 'utf8');
      const full = analyzeFile(ctx, file, text, { skipPrefilter: true });
      const fast = analyzeFile(ctx, file, text);
      for (const site of full.sites) expect(site.target).toEqual(unfiltered.classify(site, file).target);
      expect(
        fast.sites.map((s) => s.target),
        relativeToRoot(ctx, file),
      ).toEqual(full.sites.map((s) => s.target));
    }
    const use = analyzeFile(
      ctx,
      path.join(root, 'src/app/use.ts'),
      fs.readFileSync(path.join(root, 'src/app/use.ts'), 'utf8'),
    );
    expect(use.sites[0]!.target).toMatchObject({ kind: 'canonical' });
  });
});
