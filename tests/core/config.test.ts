import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import AjvModule from 'ajv';
import { ConfigError, loadConfig, resolveConfig } from '../../src/core/config/load.js';
import { configSchema } from '../../src/core/config/schema.js';
import { mapLegacyName, canonicalReplacement, siteMigrationTarget } from '../../src/core/mapping.js';
import { makeProject, removeProject } from '../helpers/index.js';

const roots: string[] = [];
function project(files: Record<string, string>): string {
  const root = makeProject(files);
  roots.push(root);
  return root;
}
afterEach(() => roots.splice(0).forEach(removeProject));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const minimal = { concepts: [{ id: 'router', preset: 'message-router', legacy: [{ module: 'src/old.ts' }] }] };

describe('finding the config', () => {
  it('walks up from the cwd to ssot.config.json', () => {
    const root = project({ 'ssot.config.json': JSON.stringify(minimal), 'src/deep/x.ts': '', 'src/old.ts': '' });
    const config = loadConfig({ cwd: path.join(root, 'src/deep') });
    expect(config.configPath).toBe(path.join(root, 'ssot.config.json'));
    expect(config.rootDir).toBe(root);
    expect(config.concepts[0]!.legacy[0]).toMatchObject({
      kind: 'path',
      path: path.join(root, 'src/old.ts'),
      exists: true,
    });
  });

  it('reads an ESM config module and a "ssot" key in package.json', () => {
    const esm = project({ 'ssot.config.mjs': `export default ${JSON.stringify(minimal)};` });
    expect(loadConfig({ cwd: esm }).concepts[0]!.id).toBe('router');
    const pkg = project({ 'package.json': JSON.stringify({ name: 'x', ssot: minimal }) });
    expect(loadConfig({ cwd: pkg }).configPath).toBe(path.join(pkg, 'package.json'));
  });

  it('honours --config and says so when nothing is found', () => {
    const root = project({ 'conf/custom.json': JSON.stringify(minimal) });
    expect(loadConfig({ cwd: root, configPath: 'conf/custom.json' }).rootDir).toBe(path.join(root, 'conf'));
    const empty = project({ 'a.ts': '' });
    expect(configError(() => loadConfig({ cwd: empty })).message).toMatch(/No ssot config found/);
  });
});

describe('config errors name the file and the key path', () => {
  it('wrong types deep inside', () => {
    const raw = {
      concepts: [
        { id: 'a', preset: 'message-router' },
        { id: 'b', canonical: { module: 'x' }, legacy: [{ module: 5 }] },
      ],
    };
    const err = configError(() => resolveConfig(raw, '/r', '/r/ssot.config.json'));
    expect(err.message).toContain('/r/ssot.config.json');
    expect(err.message).toContain('concepts[1].legacy[0].module: expected string, got integer');
  });

  it('unknown keys are errors, not silently ignored', () => {
    const err = configError(() =>
      resolveConfig({ concepts: [{ id: 'a', preset: 'message-router', legacyModules: [] }] }, '/r', '/r/c.json'),
    );
    expect(err.message).toMatch(/concepts\[0\]\.legacyModules: unknown key/);
    const top = configError(() => resolveConfig({ concepts: minimal.concepts, includes: [] }, '/r', '/r/c.json'));
    expect(top.message).toMatch(/includes: unknown key/);
  });

  it('missing required keys, empty lists, unknown presets, bad regexes, duplicate ids', () => {
    expect(configError(() => resolveConfig({}, '/r')).message).toMatch(/concepts: is required/);
    expect(configError(() => resolveConfig({ concepts: [] }, '/r')).message).toMatch(
      /concepts: must have at least 1 item/,
    );
    expect(configError(() => resolveConfig({ concepts: [{ id: 'a', preset: 'nope' }] }, '/r')).message).toMatch(
      /concepts\[0\]\.preset: unknown preset "nope" \(known: message-router\)/,
    );
    expect(configError(() => resolveConfig({ concepts: [{ id: 'a' }] }, '/r')).message).toMatch(
      /concepts\[0\]\.canonical\.module: is required/,
    );
    expect(
      configError(() =>
        resolveConfig({ concepts: [{ id: 'a', preset: 'message-router', detect: { names: ['/(/'] } }] }, '/r'),
      ).message,
    ).toMatch(/concepts\[0\]\.detect\.names\[0\]: invalid regular expression/);
    expect(
      configError(() =>
        resolveConfig(
          {
            concepts: [
              { id: 'a', preset: 'message-router' },
              { id: 'a', preset: 'message-router' },
            ],
          },
          '/r',
        ),
      ).message,
    ).toMatch(/concepts\[1\]\.id: duplicate concept id/);
  });

  it('invalid JSON names the file', () => {
    const root = project({ 'ssot.config.json': '{ "concepts": [ }' });
    const err = configError(() => loadConfig({ cwd: root }));
    expect(err.message).toContain(path.join(root, 'ssot.config.json'));
    expect(err.message).toMatch(/Invalid JSON/);
  });
});

describe('the shipped JSON Schema', () => {
  it('is the committed file, up to date', () => {
    const committed = JSON.parse(
      fs.readFileSync(new URL('../../schema/ssot.config.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(configSchema)));
  });

  it('agrees with our validator on valid and invalid configs', () => {
    const ajv = new AjvModule.default({ allErrors: true, strict: false });
    const validate = ajv.compile(configSchema);
    const cases: unknown[] = [
      minimal,
      {
        concepts: [
          {
            id: 'x',
            canonical: { module: 'src/a.ts', files: ['src/a.ts'] },
            legacy: [{ module: 'b', names: { '*': '*' } }],
          },
        ],
      },
      {},
      { concepts: [] },
      { concepts: [{ id: 'a', preset: 'message-router', extra: 1 }] },
      { concepts: [{ id: 'a', detect: { minMembers: 0 } }] },
      { concepts: [{ id: 'has space' }] },
      { concepts: [{ id: 'a', canonical: { module: '@new/utils' }, legacy: [{ module: '@old/utils/*' }] }] },
      { concepts: [{ id: 'a', canonical: { module: '@new/utils' }, legacy: [{ module: '@old/*/utils' }] }] },
    ];
    for (const raw of cases) {
      let ours = true;
      try {
        resolveConfig(raw, '/r');
      } catch (error) {
        ours = !(error instanceof ConfigError && error.violations.length > 0);
      }
      expect(validate(raw), JSON.stringify(raw)).toBe(ours);
    }
  });
});

describe('the message-router preset and the mapping function', () => {
  const root = '/repo';
  const config = resolveConfig(
    {
      concepts: [
        {
          id: 'router',
          preset: 'message-router',
          legacy: [
            { module: './src/old-router.ts', names: { OldRouter: 'MessageRouter' } },
            { module: '@acme/legacy-router' },
          ],
        },
      ],
    },
    root,
  );
  const concept = config.concepts[0]!;

  it('supplies canonical module, compat layer and detection', () => {
    expect(concept.canonical.module).toBe('ssot-kit/router');
    expect(concept.compat?.module).toBe('ssot-kit/router/compat');
    expect(concept.detect.members).toContain('addHandler');
    expect(concept.legacy[1]).toMatchObject({ kind: 'package', module: '@acme/legacy-router' });
    expect(concept.legacy[0]).toMatchObject({ kind: 'path', exists: false, path: '/repo/src/old-router.ts' });
  });

  it('maps legacy names to the same compat name (stage 1), custom names as configured', () => {
    const [local, pkg] = concept.legacy;
    // Without names, the preset's names; the compat layer has the same name.
    expect(mapLegacyName(concept, pkg!, 'MessageRouter')).toEqual({
      module: 'ssot-kit/router/compat',
      isPath: false,
      name: 'MessageRouter',
    });
    expect(mapLegacyName(concept, pkg!, 'broadcastToUser')).toMatchObject({ name: 'broadcastToUser' });
    // Written names are the whole list: OldRouter only, the preset's names are not added to it.
    expect(mapLegacyName(concept, local!, 'OldRouter')).toMatchObject({ name: 'MessageRouter' });
    expect(mapLegacyName(concept, local!, 'MessageRouter')).toBeNull();
    // Not part of the concept: stays on the legacy module.
    expect(mapLegacyName(concept, local!, 'RouterOptions')).toBeNull();
    expect(mapLegacyName(concept, local!, 'default')).toBeNull();
    expect(mapLegacyName(concept, local!, '*')).toMatchObject({ name: '*', module: 'ssot-kit/router/compat' });
  });

  it('records the canonical replacement of each compat name (stage 2)', () => {
    expect(canonicalReplacement(concept, 'MessageRouter')).toBe('CanonicalMessageRouter');
    expect(canonicalReplacement(concept, 'toString')).toBeUndefined();
  });

  it('"<package>/*" moves each subpath to the same subpath of a package target; a package is its root entry', () => {
    const concept = resolveConfig(
      {
        concepts: [
          {
            id: 'u',
            canonical: { module: '@canonical/utils' },
            legacy: [{ module: '@scope/utils' }, { module: '@scope/utils/*' }],
          },
        ],
      },
      root,
    ).concepts[0]!;
    const [rootEntry, subpaths] = [concept.legacy[0]!, concept.legacy[1]!];
    expect(rootEntry.subpathsOf).toBeUndefined();
    expect(subpaths).toMatchObject({ kind: 'package', module: '@scope/utils/*', subpathsOf: '@scope/utils' });
    expect(siteMigrationTarget(concept, subpaths, '@scope/utils/ts-eslint')).toEqual({
      module: '@canonical/utils/ts-eslint',
      isPath: false,
    });
    expect(siteMigrationTarget(concept, subpaths, '@scope/utils/dist/a/b')).toEqual({
      module: '@canonical/utils/dist/a/b',
      isPath: false,
    });
    expect(siteMigrationTarget(concept, rootEntry, '@scope/utils')).toEqual({
      module: '@canonical/utils',
      isPath: false,
    });
  });

  it('refuses subpath patterns that cannot map: on a repo path, towards a repo path, or with a `*` elsewhere', () => {
    const dir = project({ 'src/legacy/a.ts': '', 'src/new.ts': '' });
    const onPath = configError(() =>
      resolveConfig(
        { concepts: [{ id: 'u', canonical: { module: '@n/u' }, legacy: [{ module: 'src/legacy/*' }] }] },
        dir,
        'c.json',
      ),
    );
    expect(onPath.message).toMatch(
      /concepts\[0\]\.legacy\[0\]\.module: "src\/legacy\/\*": a subpath pattern needs a package specifier/,
    );
    const toPath = configError(() =>
      resolveConfig(
        { concepts: [{ id: 'u', canonical: { module: 'src/new.ts' }, legacy: [{ module: '@o/u/*' }] }] },
        dir,
        'c.json',
      ),
    );
    expect(toPath.message).toMatch(
      /concepts\[0\]\.legacy\[0\]\.module: "@o\/u\/\*": subpaths move to the same subpath of the migration target, which must then be a package/,
    );
    const middle = configError(() =>
      resolveConfig(
        { concepts: [{ id: 'u', canonical: { module: '@n/u' }, legacy: [{ module: '@o/*/u' }] }] },
        dir,
        'c.json',
      ),
    );
    expect(middle.message).toMatch(/concepts\[0\]\.legacy\[0\]\.module: must match/);
  });

  it('without a preset or names, every name maps to itself in the canonical module', () => {
    const plain = resolveConfig(
      { concepts: [{ id: 'c', canonical: { module: '@acme/core' }, legacy: [{ module: '@acme/old' }] }] },
      root,
    ).concepts[0]!;
    expect(mapLegacyName(plain, plain.legacy[0]!, 'anything')).toEqual({
      module: '@acme/core',
      isPath: false,
      name: 'anything',
    });
    expect(mapLegacyName(plain, plain.legacy[0]!, 'default')).toBeNull();
  });
});
