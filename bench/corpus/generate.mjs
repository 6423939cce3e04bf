#!/usr/bin/env node
// Deterministic generator of a realistic TypeScript monorepo for the ssot-kit benchmark.
//
//   node bench/corpus/generate.mjs [--size tiny|small|default|large | --files N] [--seed N] [--out DIR]
//
// Same (files, seed) → byte-identical output. The ground truth (every legacy import site, by file and
// by form, built while writing the file) goes to <out>/.bench-manifest.json; tools never see it
// (the harness removes it from every working copy).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../lib/prng.mjs';
import { CONCEPT_NAMES, FORMS, classifyDeclaration } from '../lib/semantics.mjs';
const FORMS_SET = new Set(FORMS);
import * as B from './bodies.mjs';

export const GENERATOR_VERSION = 2;
export const MANIFEST_NAME = '.bench-manifest.json';
export const SIZES = { tiny: 40, small: 500, default: 5000, large: 20000 };
export const DEFAULT_SEED = 1;
// blocks overshoot the drawn target; this factor makes the realised average match avgLines
const LINE_CALIBRATION = 0.75;
/**
 * File sizes follow real repositories (theia: 3,237 .ts files averaging 172 lines; medusa: 7,176
 * averaging 86; typescript-eslint: 2,629 averaging 123; counts from /work/real/README.md): many
 * small files and a long tail, log-normal with this spread, 10 ... 3,000 lines.
 */
const DEFAULT_AVG_LINES = 140;
const LINES_SIGMA = 0.9;

const posix = path.posix;

// ---------------------------------------------------------------------------------------------
// Fixed layout: the legacy modules of the config, the decoy, the duplicates.
// ---------------------------------------------------------------------------------------------
// The main legacy module is named with a common word, as real ones are (theia's `event`, medusa's
// `types`): every feature folder has its own types.ts, so the name alone does not find importers.
const LM = 'packages/chat/src/legacy/types.ts';
const QR = 'packages/chat/src/ws/quality-router.ts';
const WE = 'packages/chat/src/ws-events';
const PKG = '@acme/legacy-router';
const DECOY = 'packages/analytics/src/legacy/types.ts';

export const LAYOUT = {
  legacyModules: [LM, QR, WE, PKG],
  /** files that ARE legacy modules: their own imports are not sites, tools must not rewrite them */
  legacyFiles: [
    LM,
    QR,
    `${WE}/index.ts`,
    `${WE}/event-router.ts`,
    `${WE}/broadcast.ts`,
    'packages/legacy-router/src/index.ts',
    'packages/legacy-router/src/router.ts',
  ],
  legacyPackageDir: 'packages/legacy-router',
  decoy: DECOY,
};

const T = {
  LM: {
    target: `legacy:${LM}`,
    base: LM.replace(/\.ts$/, ''),
    alias: '@acme/chat/legacy/types',
    names: {
      MessageRouter: 'class',
      createMessageRouter: 'fn',
      getMessageRouter: 'fn',
      RouterOptions: 'type',
      LEGACY_VERSION: 'const',
    },
  },
  QR: {
    target: `legacy:${QR}`,
    base: QR.replace(/\.ts$/, ''),
    alias: '@acme/chat/ws/quality-router',
    names: { QualityMessageRouter: 'class', QualityRouterOptions: 'type', QUALITY_LEVELS: 'const' },
  },
  WE: {
    target: `legacy:${WE}`,
    folder: WE,
    alias: '@acme/chat/ws-events',
    entries: {
      '': {
        WebSocketEventRouter: 'class',
        UserScopedWebSocketEventRouter: 'class',
        WebSocketBroadcastService: 'class',
        broadcastToUser: 'fn',
        EventHandler: 'type',
        BROADCAST_CHANNEL: 'const',
      },
      'event-router': { WebSocketEventRouter: 'class', UserScopedWebSocketEventRouter: 'class', EventHandler: 'type' },
      broadcast: { WebSocketBroadcastService: 'class', broadcastToUser: 'fn', BROADCAST_CHANNEL: 'const' },
    },
  },
  PKG: {
    target: `legacy:${PKG}`,
    spec: PKG,
    names: {
      MessageRouter: 'class',
      createMessageRouter: 'fn',
      broadcastToUser: 'fn',
      RouterOptions: 'type',
      LEGACY_VERSION: 'const',
    },
  },
};

const PACKAGE_NAMES = [
  'web',
  'notifications',
  'billing',
  'auth',
  'search',
  'presence',
  'media',
  'moderation',
  'gateway',
  'admin',
  'mobile-bridge',
  'profile',
  'settings',
  'feeds',
  'integrations',
  'workflows',
  'reporting',
  'storage',
  'realtime',
  'onboarding',
  'support',
  'i18n',
  'design-system',
  'telemetry',
  'scheduler',
  'exports',
  'audit',
  'payments',
  'inbox',
  'calendar',
  'contacts',
  'files',
  'sharing',
  'webhooks',
  'sdk',
  'docs-site',
  'experiments',
];
const UI_PACKAGES = new Set([
  'web',
  'admin',
  'design-system',
  'mobile-bridge',
  'settings',
  'inbox',
  'profile',
  'docs-site',
  'onboarding',
]);
const FEATURES = [
  'rooms',
  'threads',
  'messages',
  'presence',
  'sessions',
  'auth',
  'uploads',
  'reactions',
  'search',
  'notifications',
  'settings',
  'moderation',
  'billing',
  'metrics',
  'devices',
  'webhooks',
  'drafts',
  'invites',
  'members',
  'roles',
  'audit',
  'exports',
  'sync',
  'queue',
  'cache',
  'streams',
  'digest',
  'profiles',
  'themes',
  'flags',
];

// ---------------------------------------------------------------------------------------------

/**
 * A file's layer, 0 ... 9, from its path: a file imports only files of lower layers, and other
 * packages only from layer 3 up into their layers 0 ... 2 (the packages' barrels export those). So
 * import chains stay as short as in real code (a random import graph has chains thousands of files
 * deep, and TypeScript's program construction, which recurses along them, overflows its stack).
 */
function layerOf(file) {
  let h = 2166136261;
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 16777619);
  return (h >>> 0) % 10;
}
const SHARED_LAYERS = 2;

function relSpec(fromFile, toNoExt) {
  let r = posix.relative(posix.dirname(fromFile), toNoExt);
  if (!r.startsWith('.')) r = `./${r}`;
  return r;
}

function lognormalLines(r, avg) {
  // Box–Muller; mean = exp(mu + sigma² / 2)
  const u = Math.max(r.float(), 1e-9),
    v = r.float();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  const mu = Math.log(avg * LINE_CALIBRATION) - (LINES_SIGMA * LINES_SIGMA) / 2;
  return Math.max(10, Math.min(3000, Math.round(Math.exp(mu + LINES_SIGMA * z))));
}

/** Pick a legacy target and a specifier spelling for an importer at `file`. */
function chooseTarget(r, file, inChat) {
  const key = r.weighted([
    ['LM', 45],
    ['WE', 25],
    ['QR', 15],
    ['PKG', 15],
  ]);
  const t = T[key];
  if (key === 'PKG') return { key, target: t.target, spec: t.spec, names: t.names };
  const useAlias = r.chance(inChat ? 0.35 : 0.6);
  if (key === 'WE') {
    const entry = r.weighted([
      ['', 55],
      ['index', 10],
      ['broadcast', 20],
      ['event-router', 15],
    ]);
    const names = t.entries[entry === 'index' ? '' : entry];
    let spec;
    if (useAlias) spec = entry ? `${t.alias}/${entry}` : t.alias;
    else
      spec =
        relSpec(file, entry ? `${t.folder}/${entry}` : t.folder) +
        (entry && entry !== 'index' && r.chance(0.3) ? '.js' : '');
    return { key, target: t.target, spec, names };
  }
  const spec = useAlias ? t.alias : relSpec(file, t.base) + (r.chance(0.3) ? '.js' : '');
  return { key, target: t.target, spec, names: t.names };
}

const conceptOf = (names) => Object.keys(names).filter((n) => CONCEPT_NAMES.has(n));
const otherOf = (names) => Object.keys(names).filter((n) => !CONCEPT_NAMES.has(n));
const typeish = (names, n) => names[n] === 'class' || names[n] === 'type';

/**
 * Render one legacy site of `form` into ctx (imports / body / exports), returning the site record
 * or null when the file cannot take it (name clash). Names recorded are the imported names.
 */
function renderSite(r, form, tg, ctx) {
  const { names, spec } = tg;
  const concept = conceptOf(names).filter((n) => !ctx.locals.has(n));
  const other = otherOf(names).filter((n) => !ctx.locals.has(n));
  const site = (decl, recordNames) => ({ form, spec, target: tg.target, names: recordNames, line: 0, decl });
  const q = `'${spec}'`;
  switch (form) {
    case 'named':
    case 'inline-type':
    case 'type-only': {
      let pickNames;
      if (form === 'type-only') {
        const pool = Object.keys(names).filter((n) => typeish(names, n) && !ctx.locals.has(n));
        if (!pool.length) return null;
        pickNames = r.shuffle(pool).slice(0, r.range(1, Math.min(2, pool.length)));
      } else if (form === 'inline-type') {
        const types = other.filter((n) => names[n] === 'type');
        const classes = concept.filter((n) => names[n] === 'class');
        const values = concept.filter((n) => names[n] !== 'class');
        if (!(types.length || classes.length) || !(values.length || classes.length > 1)) return null;
        const typed = types.length && (r.chance(0.7) || !classes.length) ? r.pick(types) : r.pick(classes);
        const rest = [...values, ...classes].filter((n) => n !== typed);
        if (!rest.length) return null;
        pickNames = [typed, r.pick(rest)];
        ctx.typeOnly.add(typed);
      } else {
        if (!concept.length) return null;
        pickNames = r.shuffle(concept).slice(0, r.range(1, Math.min(2, concept.length)));
        if (other.length && r.chance(0.25)) pickNames.push(r.pick(other));
      }
      for (const n of pickNames) ctx.locals.add(n);
      const specifiers = pickNames.map((n) => (form === 'inline-type' && ctx.typeOnly.has(n) ? `type ${n}` : n));
      ctx.imports.push(`import ${form === 'type-only' ? 'type ' : ''}{ ${specifiers.join(', ')} } from ${q};`);
      for (const n of pickNames)
        ctx.uses.push({ local: n, kind: names[n], typeOnly: form === 'type-only' || ctx.typeOnly.has(n) });
      return site(
        {
          decl: 'import',
          typeOnly: form === 'type-only',
          specifiers: pickNames.map((n) => ({ name: n, isType: form === 'inline-type' && ctx.typeOnly.has(n) })),
        },
        pickNames,
      );
    }
    case 'aliased': {
      if (!concept.length) return null;
      const n = r.pick(concept);
      const alias = r.pick([`Legacy${B.cap(n)}`, `${B.cap(n)}Legacy`, n === 'MessageRouter' ? 'R' : `Old${B.cap(n)}`]);
      if (ctx.locals.has(alias)) return null;
      ctx.locals.add(alias);
      const pick = [n];
      let text = `${n} as ${alias}`;
      const extra = concept.filter((x) => x !== n);
      if (extra.length && r.chance(0.3)) {
        const x = r.pick(extra);
        ctx.locals.add(x);
        pick.push(x);
        text += `, ${x}`;
        ctx.uses.push({ local: x, kind: names[x] });
      }
      ctx.imports.push(`import { ${text} } from ${q};`);
      ctx.uses.push({ local: alias, kind: names[n] });
      return site(
        { decl: 'import', specifiers: pick.map((x, i) => ({ name: x, alias: i === 0 ? alias : undefined })) },
        pick,
      );
    }
    case 'namespace': {
      const local = `legacy${B.cap(tg.key.toLowerCase())}${ctx.n++}`;
      ctx.imports.push(`import * as ${local} from ${q};`);
      const c = conceptOf(names);
      ctx.uses.push({ local: `${local}.${r.pick(c)}`, kind: 'ns' });
      return site({ decl: 'import', namespace: true }, []);
    }
    case 'side-effect':
      ctx.imports.push(`import ${q};`);
      return site({ decl: 'import' }, []);
    case 'export-named': {
      const pool = [...conceptOf(names), ...otherOf(names)].filter((n) => !ctx.exported.has(n));
      const c = pool.filter((n) => CONCEPT_NAMES.has(n));
      if (!c.length) return null;
      const pickNames = r.shuffle(c).slice(0, r.range(1, Math.min(2, c.length)));
      const o = pool.filter((n) => !CONCEPT_NAMES.has(n));
      if (o.length && r.chance(0.3)) pickNames.push(r.pick(o));
      for (const n of pickNames) ctx.exported.add(n);
      ctx.reexports.push(`export { ${pickNames.join(', ')} } from ${q};`);
      return site({ decl: 'export', specifiers: pickNames.map((n) => ({ name: n })) }, pickNames);
    }
    case 'export-star':
      if (ctx.stars.has(spec)) return null;
      ctx.stars.add(spec);
      ctx.reexports.push(`export * from ${q};`);
      return site({ decl: 'export', star: true }, []);
    case 'import-equals': {
      const local = `legacyModule${ctx.n++}`;
      ctx.imports.push(`import ${local} = require(${q});`);
      ctx.uses.push({ local: `${local}.${r.pick(conceptOf(names))}`, kind: 'ns' });
      return site(null, []);
    }
    case 'require': {
      const c = conceptOf(names).filter((n) => !ctx.locals.has(n));
      if (c.length && r.chance(0.6)) {
        const pick = r.shuffle(c).slice(0, r.range(1, Math.min(2, c.length)));
        for (const n of pick) ctx.locals.add(n);
        ctx.imports.push(`const { ${pick.join(', ')} } = require(${q});`);
      } else {
        ctx.imports.push(`const legacy${ctx.n++} = require(${q});`);
      }
      return site(null, []);
    }
    case 'dynamic-import': {
      const c = r.pick(conceptOf(names));
      const fn = `load${B.cap(c)}${ctx.n++}`;
      ctx.body.push(
        `${ctx.ts ? 'export ' : ''}async function ${fn}() {`,
        `  const mod = await import(${q});`,
        `  return mod.${c};`,
        '}',
        '',
      );
      if (!ctx.ts) ctx.cjsExports.push(fn);
      return site(null, []);
    }
    case 'import-type': {
      const pool = Object.keys(names).filter((n) => typeish(names, n));
      const n = r.pick(pool);
      ctx.body.push(`export type LegacyRef${ctx.n++} = import(${q}).${n} | undefined;`, '');
      return site(null, [n]);
    }
    case 'mock': {
      const runner = ctx.runner;
      const c = conceptOf(names);
      if (r.chance(0.5)) ctx.mocks.push(`${runner}.mock(${q});`);
      else ctx.mocks.push(`${runner}.mock(${q}, () => ({ ${c[0]}: ${runner}.fn() }));`);
      return site(null, []);
    }
    default:
      throw new Error(`unknown form ${form}`);
  }
}

function usageLines(ctx) {
  if (!ctx.uses.length) return [];
  const out = [
    `export function ${ctx.ts ? '' : ''}useLegacyRouting${ctx.ts ? '(socket: { send(data: string): void })' : '(socket)'} {`,
  ];
  ctx.uses.forEach((u, i) => {
    if (u.typeOnly || u.kind === 'type')
      out.push(ctx.ts ? `  let ref${i}: ${u.local} | undefined;` : '', ctx.ts ? `  void ref${i};` : '');
    else if (u.kind === 'class') out.push(`  const router${i} = new ${u.local}();`, `  void router${i};`);
    else if (u.kind === 'fn') out.push(`  void ${u.local};`);
    else out.push(`  void ${u.local};`);
  });
  out.push("  socket.send('ready');", '}', '');
  return out.filter((l) => l !== '' || true);
}

// ---------------------------------------------------------------------------------------------

export function corpusName({ size, files, seed }) {
  return `${size ?? `f${files}`}-s${seed}`;
}

/**
 * Generate the corpus into outDir (removed first). Returns the manifest.
 * @param {{ outDir: string, files?: number, size?: string, seed?: number, avgLines?: number }} opts
 */
export function generateCorpus(opts) {
  const seed = opts.seed ?? DEFAULT_SEED;
  const requested = opts.files ?? SIZES[opts.size ?? 'default'];
  if (!Number.isInteger(requested) || requested < 30)
    throw new Error(`--files must be an integer >= 30 (got ${requested})`);
  const avgLines = opts.avgLines ?? DEFAULT_AVG_LINES;
  const outDir = path.resolve(opts.outDir);
  const rng = createRng(seed);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  const made = new Set();
  let totalLines = 0,
    totalBytes = 0,
    sourceFiles = 0,
    allFiles = 0;
  const write = (rel, text, { source = true } = {}) => {
    const abs = path.join(outDir, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(abs, text);
    allFiles++;
    totalBytes += Buffer.byteLength(text);
    if (source) {
      sourceFiles++;
      totalLines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    }
  };

  // ---- packages and file plan ----------------------------------------------------------------
  const nOther = Math.max(1, Math.min(PACKAGE_NAMES.length, Math.round(requested / 300)));
  const others = PACKAGE_NAMES.slice(0, nOther);
  const fixedCount = 24; // legacy modules, decoy, duplicates, index/decorator files etc. (approximate)
  const pool = Math.max(requested - fixedCount, 8);
  const shares = { chat: 0.2, analytics: 0.06 };
  const plan = []; // { pkg, path, type: ts|tsx|js|cjs|test, role, exportName, forced?: [...] }
  const pkgFiles = new Map();
  const addPlan = (p) => {
    plan.push(p);
    if (!pkgFiles.has(p.pkg)) pkgFiles.set(p.pkg, []);
    pkgFiles.get(p.pkg).push(p);
    return p;
  };

  const counts = {};
  counts.chat = Math.max(4, Math.round(pool * shares.chat));
  counts.analytics = Math.max(2, Math.round(pool * shares.analytics));
  let rest = pool - counts.chat - counts.analytics;
  const pr = rng.fork('packages');
  const weights = others.map(() => 0.6 + pr.float() * 0.8);
  const wsum = weights.reduce((a, b) => a + b, 0);
  others.forEach((p, i) => {
    counts[p] = Math.max(2, Math.round((rest * weights[i]) / wsum));
  });

  // fixed, forced-coverage files (every form appears at least once, even in the tiny corpus)
  const F = (pkg, p, type, forced, extra = {}) => addPlan({ pkg, path: p, type, forced, ...extra });
  const web = others[0];
  F(
    'chat',
    'packages/chat/src/index.ts',
    'ts',
    [
      ['export-named', 'LM', `./legacy/types`],
      ['export-star', 'WE', './ws-events'],
    ],
    { role: 'index' },
  );
  F('chat', 'packages/chat/src/server/ws-server.ts', 'ts', [
    ['named', 'LM', '../legacy/types'],
    ['namespace', 'QR', '../ws/quality-router.js'],
    ['side-effect', 'WE', '../ws-events'],
  ]);
  F('chat', 'packages/chat/src/ui/ChatWindow.tsx', 'tsx', [
    ['type-only', 'LM', '@acme/chat/legacy/types'],
    ['dynamic-import', 'WE', '../ws-events/broadcast'],
  ]);
  F('chat', 'packages/chat/scripts/replay-messages.cjs', 'cjs', [['require', 'LM', '../src/legacy/types']]);
  F('chat', 'packages/chat/src/compat/legacy-bridge.js', 'js', [
    ['require', 'WE', '../ws-events/broadcast'],
    ['dynamic-import', 'LM', '../legacy/types.js'],
  ]);
  F(
    'chat',
    'packages/chat/test/message-router.test.ts',
    'test',
    [
      ['named', 'LM', '../src/legacy/types'],
      ['mock', 'LM', '../src/legacy/types'],
    ],
    { runner: 'vi' },
  );
  F(
    'chat',
    'packages/chat/test/broadcast.spec.ts',
    'test',
    [
      ['aliased', 'WE', '@acme/chat/ws-events'],
      ['mock', 'WE', '../src/ws-events'],
    ],
    { runner: 'jest' },
  );
  F('chat', 'packages/chat/src/legacy/adapters.ts', 'ts', [
    ['inline-type', 'LM', './types'],
    ['import-equals', 'LM', './types'],
  ]);
  F('chat', 'packages/chat/src/ws/quality-monitor.ts', 'ts', [
    ['aliased', 'QR', './quality-router'],
    ['import-type', 'QR', './quality-router'],
  ]);
  F(web, `packages/${web}/src/realtime-client.ts`, 'ts', [
    ['named', 'PKG', PKG],
    ['type-only', 'LM', '../../chat/src/legacy/types'],
    ['import-type', 'LM', '@acme/chat/legacy/types'],
  ]);
  F(
    web,
    `packages/${web}/src/legacy-exports.ts`,
    'ts',
    [
      ['export-named', 'QR', '@acme/chat/ws/quality-router'],
      ['export-star', 'PKG', PKG],
    ],
    { role: 'index-like' },
  );
  // decoy importers (same-named file in an unrelated folder: NOT a legacy site)
  F('analytics', 'packages/analytics/src/pipeline/ingest.ts', 'ts', [], {
    decoy: ['../legacy/types', '@acme/analytics/legacy/types'],
  });
  F('analytics', 'packages/analytics/src/legacy/tracker.ts', 'ts', [], { decoy: ['./types'] });
  F('analytics', 'packages/analytics/test/ingest.test.ts', 'test', [], {
    runner: 'vi',
    decoy: ['../src/legacy/types'],
  });

  const fileRng = rng.fork('plan');
  const usedPaths = new Set(plan.map((p) => p.path));
  for (const pkg of ['chat', 'analytics', ...others]) {
    const have = (pkgFiles.get(pkg) ?? []).length;
    const n = Math.max(0, counts[pkg] - have);
    const ui = UI_PACKAGES.has(pkg);
    const featureCount = Math.max(1, Math.ceil(n / 14));
    const feats = fileRng.shuffle(FEATURES).slice(0, Math.min(FEATURES.length, featureCount));
    while (feats.length < featureCount) feats.push(`${fileRng.pick(FEATURES)}-${feats.length}`);
    // every feature folder has a types.ts of its own (same name as the legacy module)
    for (const feat of feats) {
      const p = `packages/${pkg}/src/${feat}/types.ts`;
      usedPaths.add(p);
      addPlan({ pkg, path: p, type: 'types', role: 'types', feat });
    }
    for (let i = feats.length; i < n; i++) {
      const type = fileRng.weighted([
        ['ts', ui ? 45 : 78],
        ['tsx', ui ? 38 : 5],
        ['test', 13],
        ['js', 2],
        ['cjs', 2],
      ]);
      const feat = fileRng.pick(feats);
      const w1 = fileRng.pick(B.WORDS),
        w2 = fileRng.pick(B.WORDS);
      let p;
      for (let attempt = 0; ; attempt++) {
        const suffix = attempt ? `-${attempt}` : '';
        if (type === 'test')
          p = `packages/${pkg}/test/${feat}/${w1}-${w2}${suffix}.${fileRng.chance(0.5) ? 'test' : 'spec'}.ts`;
        else if (type === 'cjs') p = `packages/${pkg}/scripts/${w1}-${w2}${suffix}.cjs`;
        else if (type === 'tsx') p = `packages/${pkg}/src/${feat}/${B.pascal(w1, w2)}${suffix}.tsx`;
        else {
          const nested = fileRng.chance(0.25) ? `${fileRng.pick(['internal', 'handlers', 'model', 'utils'])}/` : '';
          p = `packages/${pkg}/src/${feat}/${nested}${w1}-${w2}${suffix}.${type === 'js' ? 'js' : 'ts'}`;
        }
        if (!usedPaths.has(p)) break;
      }
      usedPaths.add(p);
      addPlan({
        pkg,
        path: p,
        type,
        runner:
          type === 'test'
            ? ['billing', 'auth', 'gateway', 'payments'].includes(pkg) || fileRng.chance(0.2)
              ? 'jest'
              : 'vi'
            : undefined,
      });
    }
  }
  // export names for ordinary files
  /** 'packages/<pkg>/src/<feat>' -> the plan of its types.ts */
  const featureTypes = new Map(plan.filter((p) => p.type === 'types').map((p) => [posix.dirname(p.path), p]));
  for (const p of plan) {
    if (p.type === 'types') {
      p.exportName = `${B.pascal(...p.feat.split('-'))}Options`;
      continue;
    }
    const base = posix
      .basename(p.path)
      .replace(/\.(test|spec)\.ts$|\.(tsx?|js|cjs)$/, '')
      .replace(/-\d+$/, '');
    const parts = base.split('-').filter(Boolean);
    p.exportName = p.type === 'tsx' ? B.pascal(...parts) : B.camel(parts[0] ?? 'x', ...parts.slice(1), 'module');
    if (p.type === 'tsx') p.exportName = B.pascal(...posix.basename(p.path, '.tsx').split(/[-]/));
  }

  // ---- fixed content files ---------------------------------------------------------------------
  const pkgList = ['chat', 'legacy-router', 'analytics', ...others];
  write(
    'package.json',
    JSON.stringify(
      {
        name: 'acme-chat-monorepo',
        private: true,
        type: 'module',
        workspaces: ['packages/*'],
        scripts: { build: 'tsc -b', test: 'vitest run' },
      },
      null,
      2,
    ) + '\n',
    { source: false },
  );
  const paths = {};
  for (const pkg of pkgList) {
    if (pkg === 'legacy-router') continue;
    paths[`@acme/${pkg}`] = [`./packages/${pkg}/src/index.ts`];
    paths[`@acme/${pkg}/*`] = [`./packages/${pkg}/src/*`];
  }
  paths[PKG] = ['./packages/legacy-router/src/index.ts'];
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          jsx: 'preserve',
          strict: true,
          experimentalDecorators: true,
          allowJs: true,
          checkJs: false,
          skipLibCheck: true,
          noEmit: true,
          types: [],
          paths,
        },
        include: ['packages/*/src/**/*', 'packages/*/test/**/*', 'packages/*/scripts/**/*', 'types/**/*'],
      },
      null,
      2,
    ) + '\n',
    { source: false },
  );
  // The declarations of what the corpus imports from outside (installed packages in a real
  // repository), so that its code type-checks as a real repository's does.
  const compatClasses = [...CONCEPT_NAMES].filter((n) => /^[A-Z]/.test(n));
  const compatValues = [...CONCEPT_NAMES].filter((n) => !/^[A-Z]/.test(n));
  write(
    'types/externals.d.ts',
    [
      'declare namespace JSX {',
      '  interface IntrinsicElements {',
      '    [name: string]: Record<string, unknown>;',
      '  }',
      '}',
      '',
      "declare module 'react' {",
      '  export function useMemo<T>(factory: () => T, deps: readonly unknown[]): T;',
      '  export function useState<T>(initial: T): [T, (next: T) => void];',
      '}',
      '',
      ...['vitest', '@jest/globals'].flatMap((m) => [
        `declare module '${m}' {`,
        '  export function describe(name: string, body: () => void): void;',
        '  export function it(name: string, body: () => unknown): void;',
        '  export function expect(value: unknown): Record<string, (...args: unknown[]) => void>;',
        `  export const ${m === 'vitest' ? 'vi' : 'jest'}: { fn(): (...args: unknown[]) => unknown; mock(path: string, factory?: () => unknown): void };`,
        '}',
        '',
      ]),
      ...['ssot-kit/router/compat', 'ssot-kit/router'].flatMap((m) => [
        `declare module '${m}' {`,
        ...compatClasses.map(
          (c) => `  export class ${c} {
    constructor(...args: any[]);
    [member: string]: any;
  }`,
        ),
        ...compatValues.map((v) => `  export const ${v}: (...args: any[]) => any;`),
        '}',
        '',
      ]),
    ].join('\n'),
    { source: false },
  );
  write(
    'ssot.config.json',
    JSON.stringify(
      {
        concepts: [
          {
            id: 'message-router',
            preset: 'message-router',
            legacy: [{ module: LM }, { module: QR }, { module: WE }, { module: PKG }],
          },
        ],
      },
      null,
      2,
    ) + '\n',
    { source: false },
  );
  for (const pkg of pkgList) {
    const name = `@acme/${pkg}`;
    write(
      `packages/${pkg}/package.json`,
      JSON.stringify(
        {
          name,
          version: '1.0.0',
          private: true,
          type: 'module',
          main: 'src/index.ts',
          dependencies: pkg === 'chat' ? { '@acme/legacy-router': 'workspace:*' } : {},
        },
        null,
        2,
      ) + '\n',
      { source: false },
    );
    write(
      `packages/${pkg}/tsconfig.json`,
      JSON.stringify({ extends: '../../tsconfig.json', include: ['src', 'test', 'scripts', '../../types'] }, null, 2) +
        '\n',
      { source: false },
    );
  }
  const LEGACY_HEADER = ['// Legacy WebSocket routing. Superseded by ssot-kit/router; do not add new importers.', ''];
  write(
    LM,
    [
      ...LEGACY_HEADER,
      ...B.routerPreamble(),
      'export interface RouterOptions {',
      '  maxPayloadBytes: number;',
      '  strict: boolean;',
      '}',
      '',
      "export const LEGACY_VERSION = '1.4.2';",
      '',
      ...B.routerClass('MessageRouter'),
      'let shared: MessageRouter | undefined;',
      '',
      'export function createMessageRouter(options: Partial<RouterOptions> = {}): MessageRouter {',
      '  return new MessageRouter(options);',
      '}',
      '',
      'export function getMessageRouter(): MessageRouter {',
      '  shared ??= createMessageRouter();',
      '  return shared;',
      '}',
      '',
    ].join('\n'),
  );
  write(
    QR,
    [
      ...LEGACY_HEADER,
      "import { MessageRouter, type RouterOptions, type RouterSocket } from '../legacy/types';",
      '',
      "export const QUALITY_LEVELS = ['low', 'medium', 'high'] as const;",
      '',
      'export interface QualityRouterOptions extends RouterOptions {',
      '  level: (typeof QUALITY_LEVELS)[number];',
      '}',
      '',
      'export class QualityMessageRouter extends MessageRouter {',
      '  private dropped = 0;',
      '',
      '  constructor(private readonly quality: Partial<QualityRouterOptions> = {}) {',
      '    super(quality);',
      '  }',
      '',
      '  override route(socket: RouterSocket, raw: string): boolean {',
      "    if (this.quality.level === 'low' && raw.length > 1024) {",
      '      this.dropped++;',
      '      return false;',
      '    }',
      '    return super.route(socket, raw);',
      '  }',
      '',
      '  get droppedCount(): number {',
      '    return this.dropped;',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  write(
    `${WE}/index.ts`,
    [...LEGACY_HEADER, "export * from './event-router';", "export * from './broadcast';", ''].join('\n'),
  );
  write(
    `${WE}/event-router.ts`,
    [
      ...LEGACY_HEADER,
      'export type EventHandler = (userId: string, event: { type: string; data?: unknown }) => void;',
      '',
      'export class WebSocketEventRouter {',
      '  protected readonly handlers = new Map<string, EventHandler[]>();',
      '',
      '  on(type: string, handler: EventHandler): void {',
      '    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);',
      '  }',
      '',
      '  dispatch(userId: string, event: { type: string; data?: unknown }): number {',
      '    const list = this.handlers.get(event.type) ?? [];',
      '    for (const h of list) h(userId, event);',
      '    return list.length;',
      '  }',
      '}',
      '',
      'export class UserScopedWebSocketEventRouter extends WebSocketEventRouter {',
      '  constructor(private readonly userId: string) {',
      '    super();',
      '  }',
      '',
      '  emit(event: { type: string; data?: unknown }): number {',
      '    return this.dispatch(this.userId, event);',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  write(
    `${WE}/broadcast.ts`,
    [
      ...LEGACY_HEADER,
      "export const BROADCAST_CHANNEL = 'chat:broadcast';",
      '',
      'export class WebSocketBroadcastService {',
      '  private readonly sockets = new Map<string, Set<{ send(data: string): void }>>();',
      '',
      '  add(userId: string, socket: { send(data: string): void }): void {',
      '    let set = this.sockets.get(userId);',
      '    if (!set) this.sockets.set(userId, (set = new Set()));',
      '    set.add(socket);',
      '  }',
      '',
      '  toUser(userId: string, message: unknown): number {',
      '    const set = this.sockets.get(userId);',
      '    if (!set) return 0;',
      '    const data = JSON.stringify(message);',
      '    for (const s of set) s.send(data);',
      '    return set.size;',
      '  }',
      '}',
      '',
      'const defaultService = new WebSocketBroadcastService();',
      '',
      'export function broadcastToUser(userId: string, message: unknown): number {',
      '  return defaultService.toUser(userId, message);',
      '}',
      '',
    ].join('\n'),
  );
  write(
    'packages/legacy-router/src/router.ts',
    [
      ...LEGACY_HEADER,
      ...B.routerPreamble(),
      'export interface RouterOptions {',
      '  maxPayloadBytes: number;',
      '  strict: boolean;',
      '}',
      '',
      "export const LEGACY_VERSION = '0.9.0';",
      '',
      ...B.routerClass('MessageRouter'),
      'export function createMessageRouter(options: Partial<RouterOptions> = {}): MessageRouter {',
      '  return new MessageRouter(options);',
      '}',
      '',
      'export function broadcastToUser(router: MessageRouter, userId: string, message: unknown): void {',
      '  void router; void userId; void message;',
      '}',
      '',
    ].join('\n'),
  );
  write('packages/legacy-router/src/index.ts', [...LEGACY_HEADER, "export * from './router';", ''].join('\n'));
  // the decoy: same file name, unrelated analytics router
  write(
    DECOY,
    [
      '// Routes analytics events to sinks. Unrelated to chat message routing.',
      '',
      'export interface RouterOptions {',
      '  sinks: string[];',
      '}',
      '',
      ...B.routerClass('MessageRouter', { shapeOnly: true }),
      "export const DEFAULT_SINKS: RouterOptions = { sinks: ['warehouse'] };",
      '',
    ].join('\n'),
  );
  // duplicates: renamed copies and a shape-only twin (for the analysis core, not import sites)
  const dupPkg = others[1] ?? web;
  const duplicates = [
    { file: 'packages/chat/src/server/router-v2.ts', className: 'MessageRouterV2', kind: 'renamed' },
    {
      file: `packages/${dupPkg}/src/realtime/dispatch-router.ts`,
      className: 'NotificationDispatchRouter',
      kind: 'renamed',
    },
    { file: `packages/${web}/src/realtime/event-bus.ts`, className: 'ChatEventBus', kind: 'shape' },
  ];
  for (const d of duplicates) {
    const text =
      d.kind === 'shape'
        ? ['// Lightweight event bus for the web client.', '', ...B.routerClass(d.className, { shapeOnly: true })]
        : [
            '// Copied from the chat router to avoid a dependency.',
            '',
            ...B.routerPreamble(),
            'export interface RouterOptions {',
            '  maxPayloadBytes: number;',
            '  strict: boolean;',
            '}',
            '',
            ...B.routerClass(d.className),
          ];
    write(d.file, text.join('\n'));
  }
  // per-package decorators + index barrel (index content written below after exports are known)
  for (const pkg of pkgList) {
    if (pkg === 'legacy-router') continue;
    write(
      `packages/${pkg}/src/util/decorators.ts`,
      [
        "export function Injectable(options: { scope: string } = { scope: 'singleton' }) {",
        '  return function <T extends new (...args: any[]) => object>(target: T): T {',
        '    void options;',
        '    return target;',
        '  };',
        '}',
        '',
        'export function Log(label: string) {',
        '  return function (target: object, key: string, descriptor: PropertyDescriptor): PropertyDescriptor {',
        '    void target; void key; void label;',
        '    return descriptor;',
        '  };',
        '}',
        '',
      ].join('\n'),
    );
  }

  // ---- ordinary + forced files -----------------------------------------------------------------
  const manifestFiles = {};
  const byForm = {};
  let legacySites = 0,
    decoySites = 0;
  const importable = new Map(); // pkg -> plans usable as import targets
  for (const p of plan) {
    if (p.type === 'ts' || p.type === 'tsx') {
      if (!importable.has(p.pkg)) importable.set(p.pkg, []);
      if (!p.role) importable.get(p.pkg).push(p);
    }
  }
  const formWeights = {
    ts: [
      ['named', 30],
      ['aliased', 8],
      ['namespace', 6],
      ['type-only', 12],
      ['inline-type', 8],
      ['side-effect', 2],
      ['export-named', 4],
      ['export-star', 1],
      ['import-equals', 2],
      ['dynamic-import', 6],
      ['import-type', 6],
    ],
    tsx: [
      ['named', 40],
      ['aliased', 8],
      ['type-only', 15],
      ['inline-type', 8],
      ['dynamic-import', 8],
      ['import-type', 4],
    ],
    test: [
      ['named', 40],
      ['aliased', 10],
      ['type-only', 5],
    ],
    js: [
      ['require', 70],
      ['dynamic-import', 30],
    ],
    cjs: [
      ['require', 80],
      ['dynamic-import', 20],
    ],
  };
  const indexExports = new Map();

  plan.forEach((p, idx) => {
    const r = rng.fork(`file:${idx}:${p.path}`);
    if (p.type === 'types') {
      const blocks = [...B.interfaceBlock(r, p.exportName)];
      const target = lognormalLines(r, avgLines * 0.5);
      for (let k = 0; blocks.length < target; k++) {
        const name = `${B.pascal(r.pick(B.WORDS), r.pick(B.WORDS))}${k}`;
        blocks.push(...(r.chance(0.6) ? B.interfaceBlock(r, `${name}Shape`) : B.typeAliasBlock(r, `${name}Kind`)));
      }
      write(p.path, blocks.join('\n'));
      return;
    }
    const ts = p.type !== 'js' && p.type !== 'cjs';
    const ctx = {
      ts,
      runner: p.runner ?? 'vi',
      locals: new Set(),
      typeOnly: new Set(),
      exported: new Set(),
      stars: new Set(),
      imports: [],
      reexports: [],
      mocks: [],
      body: [],
      uses: [],
      cjsExports: [],
      n: 0,
    };
    const sites = [];
    const inChat = p.pkg === 'chat';
    const add = (form, tg) => {
      const s = renderSite(r, form, tg, ctx);
      if (s) sites.push(s);
      return s;
    };
    // forced sites
    for (const [form, key, spec] of p.forced ?? []) {
      const t = T[key];
      let names = t.names;
      if (key === 'WE') {
        const m = spec.match(/ws-events(?:\/(index|broadcast|event-router))?(?:\.js)?$/);
        names = t.entries[m && m[1] && m[1] !== 'index' ? m[1] : ''];
      }
      if (!add(form, { key, target: t.target, spec, names }))
        throw new Error(`forced site ${form} ${spec} in ${p.path} could not be rendered`);
    }
    // random sites
    const pImport = p.forced
      ? 0
      : p.type === 'test'
        ? inChat
          ? 0.5
          : 0.18
        : inChat
          ? 0.3
          : p.pkg === 'analytics'
            ? 0.06
            : 0.11;
    if (r.chance(pImport)) {
      const n = 1 + (r.chance(0.3) ? 1 : 0) + (r.chance(0.1) ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const tg = chooseTarget(r, p.path, inChat);
        const form = r.weighted(formWeights[p.type]);
        const s = add(form, tg);
        if (s && p.type === 'test' && r.chance(0.6)) add('mock', tg);
      }
    }
    // decoy sites (resolve to the unrelated analytics router)
    const decoySpecs =
      p.decoy ??
      (p.pkg === 'analytics' && p.type !== 'js' && p.type !== 'cjs' && r.chance(0.25)
        ? [r.chance(0.6) ? relSpec(p.path, DECOY.replace(/\.ts$/, '')) : '@acme/analytics/legacy/types']
        : []);
    const decoyFile = [];
    decoySpecs.forEach((spec, i) => {
      const local = i === 0 ? 'AnalyticsRouter' : `AnalyticsRouter${i}`;
      if (p.type === 'test' && i === 0) ctx.mocks.push(`${ctx.runner}.mock('${spec}');`);
      ctx.imports.push(`import { MessageRouter as ${local} } from '${spec}';`);
      ctx.uses.push({ local, kind: 'class' });
      decoyFile.push(spec);
      decoySites += p.type === 'test' && i === 0 ? 2 : 1;
    });

    // ordinary imports
    const plainImports = [];
    const layer = layerOf(p.path);
    const siblings = (importable.get(p.pkg) ?? []).filter((o) => layerOf(o.path) < layer);
    const nImp = ts ? r.range(1, 5) : r.range(0, 2);
    for (let i = 0; i < nImp && siblings.length > 0; i++) {
      const o = r.pick(siblings);
      if (o === p || ctx.locals.has(o.exportName)) continue;
      ctx.locals.add(o.exportName);
      let spec = relSpec(p.path, o.path.replace(/\.(tsx?|js)$/, ''));
      if (r.chance(0.2)) spec += '.js';
      plainImports.push(
        ts ? `import { ${o.exportName} } from '${spec}';` : `const { ${o.exportName} } = require('${spec}');`,
      );
    }
    if (ts && layer > SHARED_LAYERS && r.chance(0.35)) {
      const op = r.pick(pkgList.filter((x) => x !== 'legacy-router' && x !== p.pkg));
      const cand = (importable.get(op) ?? []).filter((o) => layerOf(o.path) <= SHARED_LAYERS);
      if (cand.length) {
        const o = r.pick(cand);
        if (!ctx.locals.has(o.exportName)) {
          ctx.locals.add(o.exportName);
          plainImports.push(
            `import { ${o.exportName} } from '${r.chance(0.5) ? `@acme/${op}` : `@acme/${op}/${o.path.split('/src/')[1].replace(/\.(tsx?|js)$/, '')}`}';`,
          );
          if (!indexExports.has(op)) indexExports.set(op, new Set());
          indexExports.get(op).add(o);
        }
      }
    }
    // the folder's own types.ts (`./types`, `../types`), or another package's (`@acme/<pkg>/<feat>/types`)
    const own =
      ts && p.type !== 'test'
        ? (featureTypes.get(posix.dirname(p.path)) ?? featureTypes.get(posix.dirname(posix.dirname(p.path))))
        : undefined;
    if (own && r.chance(0.5) && !ctx.locals.has(own.exportName)) {
      ctx.locals.add(own.exportName);
      plainImports.push(`import type { ${own.exportName} } from '${relSpec(p.path, own.path.replace(/\.ts$/, ''))}';`);
    } else if (ts && r.chance(0.1)) {
      const o = r.pick([...featureTypes.values()]);
      if (o && !ctx.locals.has(o.exportName)) {
        ctx.locals.add(o.exportName);
        plainImports.push(
          `import type { ${o.exportName} } from '@acme/${o.pkg}/${o.path.split('/src/')[1].replace(/\.ts$/, '')}';`,
        );
      }
    }
    if (p.type === 'tsx') plainImports.unshift("import { useMemo, useState } from 'react';");
    if (p.type === 'test')
      plainImports.unshift(
        ctx.runner === 'vi'
          ? "import { describe, expect, it, vi } from 'vitest';"
          : "import { describe, expect, it, jest } from '@jest/globals';",
      );

    // body
    const target =
      p.type === 'test'
        ? Math.round(lognormalLines(r, avgLines) * 0.6)
        : p.type === 'cjs'
          ? Math.round(lognormalLines(r, avgLines) * 0.4)
          : lognormalLines(r, avgLines);
    const blocks = [];
    let lines = 0;
    const usesDecorators = ts && p.type !== 'test' && r.chance(0.3);
    const push = (ls) => {
      blocks.push(...ls);
      lines += ls.length;
    };
    // the primary export first
    if (p.type === 'tsx') push(B.componentBlock(r, p.exportName));
    else if (p.type === 'test') push([]);
    else if (ts && r.chance(0.5))
      push(B.classBlock(r, B.cap(p.exportName), { decorators: usesDecorators }), [
        `export const ${p.exportName} = new ${B.cap(p.exportName)}();`,
        '',
      ]);
    else push(B.functionBlock(r, p.exportName, { ts }));
    if (
      ts &&
      p.type !== 'test' &&
      !blocks.some((l) => l.includes(`const ${p.exportName} =`)) &&
      !blocks.some((l) => l.includes(`function ${p.exportName}`))
    ) {
      push([`export const ${p.exportName} = ${B.cap(p.exportName)};`, '']);
    }
    let k = 0;
    while (lines < target) {
      const name = `${B.pascal(r.pick(B.WORDS), r.pick(B.WORDS))}${k++}`;
      if (p.type === 'test') {
        push(B.testBlock(r, name, ctx.runner));
        continue;
      }
      const kind = r.weighted(
        ts
          ? [
              ['interface', 18],
              ['enum', 6],
              ['alias', 8],
              ['class', 26],
              ['function', 30],
              ['cast', p.type === 'ts' ? 8 : 0],
              ['component', p.type === 'tsx' ? 20 : 0],
            ]
          : [
              ['function', 70],
              ['class', 30],
            ],
      );
      if (kind === 'interface') push(B.interfaceBlock(r, `${name}Config`));
      else if (kind === 'enum') push(B.enumBlock(r, `${name}Kind`));
      else if (kind === 'alias') push(B.typeAliasBlock(r, `${name}Event`));
      else if (kind === 'class')
        push(B.classBlock(r, `${name}Service`, { decorators: usesDecorators && r.chance(0.6), ts }));
      else if (kind === 'cast') push(B.castBlock(r, B.camel('coerce', name)));
      else if (kind === 'component') push(B.componentBlock(r, `${name}Panel`));
      else {
        const fn = B.camel(r.pick(B.VERBS), name);
        push(B.functionBlock(r, fn, { ts }));
        if (!ts) ctx.cjsExports.push(fn);
      }
    }
    if (usesDecorators)
      plainImports.push(
        `import { Injectable, Log } from '${relSpec(p.path, `packages/${p.pkg}/src/util/decorators`)}';`,
      );

    // assemble: header, imports (legacy and plain interleaved deterministically), mocks, re-exports, body, usage
    const header = r.chance(0.3)
      ? ['/*', ` * Copyright (c) Acme Chat, Inc. ${p.pkg} package.`, ' * Licensed under the MIT License.', ' */', '']
      : [];
    const importLines = r.shuffle([...plainImports, ...ctx.imports]);
    const out = [...header];
    if (!ts) out.push("'use strict';", '');
    out.push(...importLines);
    if (importLines.length) out.push('');
    if (ctx.mocks.length) out.push(...ctx.mocks, '');
    if (ctx.reexports.length) out.push(...ctx.reexports, '');
    out.push(...ctx.body, ...blocks, ...usageLines(ctx));
    if (!ts)
      out.push(
        `module.exports = { ${[p.exportName, ...ctx.cjsExports, ...(ctx.uses.length ? ['useLegacyRouting'] : [])].join(', ')} };`,
        '',
      );
    const text = (ts ? out : out.map((l) => l.replace(/^export (async function|function|class|const) /, '$1 '))).join(
      '\n',
    );
    write(p.path, text);

    if (sites.length || decoyFile.length) {
      const lineOf = (needle) => out.findIndex((l) => l.includes(needle)) + 1;
      for (const s of sites) s.line = lineOf(`'${s.spec}'`);
      const fb = {};
      for (const s of sites) {
        fb[s.form] = (fb[s.form] ?? 0) + 1;
        byForm[s.form] = (byForm[s.form] ?? 0) + 1;
      }
      legacySites += sites.length;
      manifestFiles[p.path] = {
        legacySites: sites.length,
        byForm: fb,
        sites: sites.map((s) => ({
          form: s.decl ? classifyDeclaration(s.decl) : s.form,
          spec: s.spec,
          target: s.target,
          names: s.names,
        })),
        ...(decoyFile.length ? { decoySpecifiers: decoyFile } : {}),
      };
      for (const s of manifestFiles[p.path].sites)
        if (!FORMS_SET.has(s.form)) throw new Error(`unexpected form ${s.form} in ${p.path}`);
    }
  });

  // package index barrels (non-legacy re-exports of ordinary files)
  for (const pkg of pkgList) {
    if (pkg === 'legacy-router') continue;
    const idx = `packages/${pkg}/src/index.ts`;
    if (plan.some((p) => p.path === idx)) continue;
    const own = (importable.get(pkg) ?? []).filter((o) => layerOf(o.path) <= SHARED_LAYERS).slice(0, 40);
    const extra = [...(indexExports.get(pkg) ?? [])].filter((o) => !own.includes(o));
    const lines = [...own, ...extra].map(
      (o) => `export { ${o.exportName} } from './${o.path.split('/src/')[1].replace(/\.(tsx?|js)$/, '')}';`,
    );
    write(idx, lines.join('\n') + '\n');
  }
  // the chat index was a forced file; append its ordinary re-exports is unnecessary (it has a body)

  const manifest = {
    version: GENERATOR_VERSION,
    generator: { seed, requestedFiles: requested, avgLines, size: opts.size ?? null },
    layout: LAYOUT,
    config: 'ssot.config.json',
    totals: {
      allFiles,
      sourceFiles,
      lines: totalLines,
      bytes: totalBytes,
      legacySites,
      legacySitesByForm: Object.fromEntries(Object.entries(byForm).sort()),
      filesWithLegacySites: Object.values(manifestFiles).filter((f) => f.legacySites).length,
      decoySites,
    },
    duplicates,
    files: Object.fromEntries(Object.entries(manifestFiles).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  fs.writeFileSync(path.join(outDir, MANIFEST_NAME), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

// ---------------------------------------------------------------------------------------------
const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const get = (f) => {
    const i = args.indexOf(f);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const size = get('--size');
  const files = get('--files') ? Number(get('--files')) : undefined;
  const seed = get('--seed') ? Number(get('--seed')) : DEFAULT_SEED;
  if (size && !(size in SIZES)) {
    console.error(`unknown --size ${size} (tiny|small|default|large)`);
    process.exit(2);
  }
  const name = corpusName({ size: files ? undefined : (size ?? 'default'), files, seed });
  const out = get('--out') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.corpus', name);
  const t0 = performance.now();
  const m = generateCorpus({ outDir: out, files, size: files ? undefined : (size ?? 'default'), seed });
  const s = ((performance.now() - t0) / 1000).toFixed(2);
  console.log(
    `${out}: ${m.totals.sourceFiles} source files, ${m.totals.lines} lines, ${(m.totals.bytes / 1e6).toFixed(1)} MB, ${m.totals.legacySites} legacy sites in ${m.totals.filesWithLegacySites} files (${s} s)`,
  );
}
