import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config/load.js';
import { analyzeFile, createAnalysisContext } from '../../src/core/analyze.js';
import { ModuleResolver } from '../../src/core/resolve.js';
import { makeProject, removeProject } from '../helpers/index.js';

const roots: string[] = [];
function project(files: Record<string, string>): string {
  const root = makeProject(files);
  roots.push(root);
  return root;
}
afterEach(() => roots.splice(0).forEach(removeProject));

const tsconfig = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', paths: { '@app/*': ['./src/*'] }, ...extra },
  });

describe('module resolution as TypeScript does it', () => {
  it("takes a walk's word on which folders hold a tsconfig.json or jsconfig.json (noteFolder)", () => {
    const root = project({ 'tsconfig.json': tsconfig(), 'pkg/jsconfig.json': '{}', 'pkg/src/a.ts': '' });
    const file = path.join(root, 'pkg/src/a.ts');
    expect(new ModuleResolver(root).configFileFor(file)).toBe(path.join(root, 'pkg/jsconfig.json'));
    // Folders a walk listed are not asked about again: what it saw is what counts.
    const noted = new ModuleResolver(root);
    noted.noteFolder(path.join(root, 'pkg/src'), false, false);
    noted.noteFolder(path.join(root, 'pkg'), false, false);
    expect(noted.configFileFor(file)).toBe(path.join(root, 'tsconfig.json'));
    const other = new ModuleResolver(root);
    other.noteFolder(path.join(root, 'pkg/src'), true, false);
    expect(other.configFileFor(file)).toBe(path.join(root, 'pkg/src/tsconfig.json'));
  });

  it('takes the text of a config that a walk read instead of reading the file again', () => {
    const root = project({ 'tsconfig.json': tsconfig({ baseUrl: '.' }), 'src/a.ts': '' });
    const file = path.join(root, 'src/a.ts');
    // On disk the config maps specifiers (paths, baseUrl); the walk's text, as the scan hands it
    // over, does not: what the resolver reports comes from that text.
    expect(new ModuleResolver(root).mayMapSpecifiers(file)).toBe(true);
    const noted = new ModuleResolver(root);
    noted.noteFolder(path.join(root, 'src'), false, false);
    noted.noteFolder(
      root,
      JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }),
      false,
    );
    expect(noted.mayMapSpecifiers(file)).toBe(false);
    expect(noted.optionsFor(file).paths).toBeUndefined();
    expect(noted.optionsFor(file).baseUrl).toBeUndefined();
    expect(new ModuleResolver(root).optionsFor(file).baseUrl).toBe(root);
  });

  it('follows tsconfig paths, .js written for .ts, and index files', () => {
    const root = project({
      'tsconfig.json': tsconfig(),
      'src/legacy/router.ts': 'export class MessageRouter {}',
      'src/feature/index.ts': 'export {}',
      'src/app.ts': '',
    });
    const r = new ModuleResolver(root);
    const from = path.join(root, 'src/app.ts');
    const legacy = path.join(root, 'src/legacy/router.ts');
    expect(r.resolve('@app/legacy/router', from)).toMatchObject({ kind: 'file', path: legacy });
    expect(r.resolve('./legacy/router.js', from)).toMatchObject({ kind: 'file', path: legacy });
    expect(r.resolve('./legacy/router', from)).toMatchObject({ kind: 'file', path: legacy });
    expect(r.resolve('./feature', from)).toMatchObject({ kind: 'file', path: path.join(root, 'src/feature/index.ts') });
    expect(r.resolve('./nowhere', from)).toEqual({ kind: 'unresolved' });
    expect(r.resolve('node:fs', from)).toMatchObject({ kind: 'builtin' });
  });

  it('resolves .js to .ts under NodeNext, and package exports of a workspace package', () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/chat/package.json': JSON.stringify({
        name: '@acme/chat',
        type: 'module',
        exports: { '.': './src/index.ts', './legacy': './src/legacy/router.ts' },
      }),
      'packages/chat/tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
      }),
      'packages/chat/src/index.ts': 'export {}',
      'packages/chat/src/legacy/router.ts': 'export class MessageRouter {}',
      'packages/chat/src/use.ts': '',
      'packages/app/package.json': JSON.stringify({ name: '@acme/app', type: 'module' }),
      'packages/app/src/main.ts': '',
    });
    const r = new ModuleResolver(root);
    const legacy = path.join(root, 'packages/chat/src/legacy/router.ts');
    expect(r.resolve('./legacy/router.js', path.join(root, 'packages/chat/src/use.ts'))).toMatchObject({
      kind: 'file',
      path: legacy,
    });
    // Not linked into node_modules: found through the root package.json workspaces.
    expect(r.resolve('@acme/chat/legacy', path.join(root, 'packages/app/src/main.ts'))).toMatchObject({
      kind: 'file',
      path: legacy,
      isExternalLibrary: false,
    });
    expect(r.resolve('@acme/chat', path.join(root, 'packages/app/src/main.ts'))).toMatchObject({
      path: path.join(root, 'packages/chat/src/index.ts'),
    });
  });

  it("shares a bare specifier's result only between folders that TypeScript cannot tell apart", () => {
    // Each file below resolves `dep`, `#inner` or the package's own name differently from its
    // neighbours in some other folder: a nested node_modules, a nested package scope with its own
    // `imports` and self-name `exports`, and, under NodeNext, a .cts file beside a .ts one (CommonJS
    // and ESM conditions of one package). One resolver answering for every file must give what a
    // fresh resolver gives for each file alone.
    const pkg = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name, ...extra });
    const root = project({
      'package.json': pkg('top', { type: 'module', imports: { '#inner': './src/inner-top.ts' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'node_modules/dep/package.json': pkg('dep', {
        exports: { '.': { import: './esm.d.ts', require: './cjs.d.ts' } },
      }),
      'node_modules/dep/esm.d.ts': 'export {}',
      'node_modules/dep/cjs.d.ts': 'export {}',
      'src/inner-top.ts': '',
      'src/a.ts': '',
      'src/b.cts': '',
      'src/deep/c.ts': '',
      'src/nested/node_modules/dep/package.json': pkg('dep', { types: './nested.d.ts' }),
      'src/nested/node_modules/dep/nested.d.ts': 'export {}',
      'src/nested/d.ts': '',
      'src/nested/deeper/e.ts': '',
      'sub/package.json': pkg('sub', {
        type: 'module',
        imports: { '#inner': './inner-sub.ts' },
        exports: { '.': './index.ts' },
      }),
      'sub/index.ts': '',
      'sub/inner-sub.ts': '',
      'sub/f.ts': '',
      'sub/g/h.ts': '',
    });
    const files = [
      'src/a.ts',
      'src/b.cts',
      'src/deep/c.ts',
      'src/nested/d.ts',
      'src/nested/deeper/e.ts',
      'sub/f.ts',
      'sub/g/h.ts',
    ];
    const specifiers = ['dep', '#inner', 'sub', 'top', 'missing-package'];
    const shared = new ModuleResolver(root);
    const seen = new Set<string>();
    for (const file of files) {
      for (const specifier of specifiers) {
        const from = path.join(root, file);
        const alone = new ModuleResolver(root).resolve(specifier, from);
        expect(shared.resolve(specifier, from), `${specifier} from ${file}`).toEqual(alone);
        seen.add(JSON.stringify(alone));
      }
    }
    // The layout does tell folders apart: the answers differ (else the test could not fail).
    for (const target of ['esm.d.ts', 'cjs.d.ts', 'nested.d.ts', 'inner-top.ts', 'inner-sub.ts', 'sub/index.ts'])
      expect(
        [...seen].some((r) => r.includes(target)),
        target,
      ).toBe(true);
  });

  it('a tsconfig change invalidates the cache', () => {
    const root = project({ 'tsconfig.json': tsconfig(), 'src/a.ts': '', 'lib/a.ts': '' });
    const r = new ModuleResolver(root);
    const from = path.join(root, 'src/main.ts');
    expect(r.resolve('@app/a', from)).toMatchObject({ path: path.join(root, 'src/a.ts') });
    expect(r.refresh()).toBe(false);
    fs.writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { paths: { '@app/*': ['lib/*'] } } }),
    );
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(root, 'tsconfig.json'), later, later);
    expect(r.refresh()).toBe(true);
    expect(r.resolve('@app/a', from)).toMatchObject({ path: path.join(root, 'lib/a.ts') });
  });
});

describe('classifying sites against a concept', () => {
  function setup(files: Record<string, string>, legacy: string[]) {
    const root = project({ 'tsconfig.json': tsconfig(), ...files });
    const config = resolveConfig(
      { concepts: [{ id: 'router', preset: 'message-router', legacy: legacy.map((module) => ({ module })) }] },
      root,
    );
    const ctx = createAnalysisContext(config);
    return {
      root,
      analyze: (rel: string) => analyzeFile(ctx, path.join(root, rel), fs.readFileSync(path.join(root, rel), 'utf8')),
    };
  }

  it('matches the legacy module by resolution, whatever the spelling', () => {
    const { analyze } = setup(
      {
        'src/legacy/message-router.ts': 'export class MessageRouter {}',
        'src/other/message-router.ts': 'export class Other {}',
        'src/app.ts': [
          `import { MessageRouter } from './legacy/message-router';`,
          `import { MessageRouter as R2 } from './legacy/message-router.js';`,
          `import * as ns from '@app/legacy/message-router';`,
          `import { Other } from './other/message-router';`, // same file name, other folder: not legacy
          `import { CanonicalMessageRouter } from 'ssot-kit/router';`,
          `import { QualityMessageRouter } from 'ssot-kit/router/compat';`,
        ].join('\n'),
      },
      ['src/legacy/message-router.ts'],
    );
    const a = analyze('src/app.ts');
    expect(a.sites.map((s) => s.target.kind)).toEqual([
      'legacy',
      'legacy',
      'legacy',
      'other',
      'canonical',
      'canonical',
    ]);
    expect(a.sites[5]!.target).toMatchObject({ kind: 'canonical', compat: true });
    expect(a.sites[4]!.target).toMatchObject({ kind: 'canonical', compat: false });
  });

  it('an import of a deleted legacy module is still matched, as missing', () => {
    const { analyze } = setup(
      {
        'src/jobs/digest.ts': [
          `import { WebSocketBroadcastService } from '../realtime/ws-broadcaster';`,
          `import { X } from '@app/realtime/ws-broadcaster.js';`,
          `import { Y } from '../realtime/elsewhere';`,
        ].join('\n'),
      },
      ['src/realtime/ws-broadcaster.ts'],
    );
    const a = analyze('src/jobs/digest.ts');
    expect(a.sites.map((s) => [s.target.kind, s.target.kind === 'legacy' && s.target.missing])).toEqual([
      ['legacy', true],
      ['legacy', true],
      ['other', false],
    ]);
    expect(a.sites[0]!.resolution).toEqual({ kind: 'unresolved' });
  });

  it('a legacy folder covers every file inside it', () => {
    const { analyze } = setup(
      {
        'src/legacy/index.ts': 'export {}',
        'src/legacy/ws.ts': 'export {}',
        'src/app.ts': [`import './legacy';`, `import './legacy/ws';`].join('\n'),
      },
      ['src/legacy'],
    );
    expect(analyze('src/app.ts').sites.map((s) => s.target.kind)).toEqual(['legacy', 'legacy']);
  });

  it('a package specifier means its root entry; "<package>/*" its subpaths, as a module of its own', () => {
    const app = [
      `import '@acme/old-router';`,
      `const r = require('@acme/old-router/lib');`,
      `export * from '@acme/old-router/lib/deep';`,
      `import '@acme/old-router-extras';`,
      `import '@acme/old-router/';`,
    ].join('\n');
    const rootOnly = setup({ 'src/app.ts': app }, ['@acme/old-router']);
    expect(rootOnly.analyze('src/app.ts').sites.map((s) => s.target.kind)).toEqual([
      'legacy',
      'other',
      'other',
      'other',
      'other',
    ]);
    const both = setup({ 'src/app.ts': app }, ['@acme/old-router', '@acme/old-router/*']);
    const sites = both.analyze('src/app.ts').sites;
    expect(sites.map((s) => (s.target.kind === 'legacy' ? s.target.legacyModule : s.target.kind))).toEqual([
      '@acme/old-router',
      '@acme/old-router/*',
      '@acme/old-router/*',
      'other',
      'other',
    ]);
  });
});
