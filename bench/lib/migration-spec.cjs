// What a migration under an ssot.config.json must do, read from the config and the checkout alone:
// which modules are legacy (a file, a folder, a package specifier, an exact specifier), which
// specifier legacy imports move to, and which imported names move. This is the benchmark's own
// reading of the config, independent of ssot-kit's code on purpose: the oracle judges with it and
// the resolution-based peers (ts-morph, plain jscodeshift) rewrite with it, so no tool is judged by
// the code it is compared with. CommonJS so that the jscodeshift peer can require it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The built-in preset the generated corpus uses: its concept names and modules (plain data). */
const PRESETS = {
  'message-router': {
    names: [
      'MessageRouter',
      'QualityMessageRouter',
      'WebSocketEventRouter',
      'UserScopedWebSocketEventRouter',
      'WebSocketBroadcastService',
      'broadcastToUser',
      'createMessageRouter',
      'getMessageRouter',
    ],
    compat: 'ssot-kit/router/compat',
    canonical: 'ssot-kit/router',
  },
};

const posix = (p) => p.split(path.sep).join('/');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Workspace globs of the root package.json (npm/yarn) and pnpm-workspace.yaml. */
function workspaceGlobs(root) {
  const pkg = readJson(path.join(root, 'package.json')) ?? {};
  const ws = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces?.packages ?? []);
  const out = ws.filter((g) => typeof g === 'string');
  const pnpm = path.join(root, 'pnpm-workspace.yaml');
  if (fs.existsSync(pnpm)) {
    let inPackages = false;
    for (const line of fs.readFileSync(pnpm, 'utf8').split('\n')) {
      if (/^packages\s*:/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const m = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
        if (m && !m[1].startsWith('!')) out.push(m[1]);
      }
    }
  }
  return out;
}

function subdirs(dir) {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/** name -> absolute folder of every workspace package (glob segments `*` and `**`). */
function workspacePackages(root) {
  const out = new Map();
  for (const glob of workspaceGlobs(root)) {
    let dirs = [root];
    for (const part of glob.replace(/\/+$/, '').split('/')) {
      const next = [];
      for (const d of dirs) {
        if (part === '**') {
          const stack = [d];
          while (stack.length) {
            const x = stack.pop();
            next.push(x);
            if (path.relative(d, x).split(path.sep).length < 4) stack.push(...subdirs(x));
          }
        } else if (part.includes('*')) {
          const re = new RegExp(
            `^${part
              .split('*')
              .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
              .join('[^/]*')}$`,
          );
          next.push(...subdirs(d).filter((x) => re.test(path.basename(x))));
        } else next.push(path.join(d, part));
      }
      dirs = next;
    }
    for (const d of dirs) {
      const name = readJson(path.join(d, 'package.json'))?.name;
      if (typeof name === 'string' && !out.has(name)) out.set(name, d);
    }
  }
  return out;
}

/**
 * @param {string} root the checkout (copy) the config applies to
 * @param {string} [configPath] default <root>/ssot.config.json
 */
function readMigrationSpec(root, configPath = path.join(root, 'ssot.config.json')) {
  root = path.resolve(root);
  const config = readJson(configPath);
  if (!config || !Array.isArray(config.concepts)) throw new Error(`${configPath}: not an ssot config with concepts`);
  const packages = workspacePackages(root);
  const legacy = [];
  /** specifier -> label of the targets: 'compat' = where legacy imports move; 'router' = the canonical module besides it */
  const targetSpecs = new Map();
  const targetPaths = new Map();
  /** Targets whose subpaths are targets too (a concept that moves `<package>/*`). */
  const subpathTargets = new Set();
  for (const concept of config.concepts) {
    const preset = concept.preset ? PRESETS[concept.preset] : undefined;
    if (concept.preset && !preset) throw new Error(`${configPath}: the benchmark knows no preset "${concept.preset}"`);
    const canonical = concept.canonical?.module ?? preset?.canonical;
    const target = concept.compat?.module ?? preset?.compat ?? canonical;
    if (!target) throw new Error(`${configPath}: concept ${concept.id} has no canonical or compat module`);
    for (const [spec, label] of [
      [target, 'compat'],
      ...(canonical && canonical !== target ? [[canonical, 'router']] : []),
    ]) {
      const abs = path.join(root, spec);
      if (!spec.startsWith('@') && fs.existsSync(abs))
        targetPaths.set(posix(path.relative(root, abs)).replace(/\.(c|m)?(t|j)sx?$/, ''), label);
      else targetSpecs.set(spec, label);
    }
    for (const l of concept.legacy ?? []) {
      const names = l.names ?? (preset ? Object.fromEntries(preset.names.map((n) => [n, n])) : {});
      if (l.pattern) {
        const other = Object.keys(l.pattern).filter((k) => k !== 'exact');
        if (other.length)
          throw new Error(
            `${configPath}: the benchmark reads legacy patterns with "exact" only (found ${other.join(', ')})`,
          );
        for (const spec of l.pattern.exact) legacy.push({ id: spec, kind: 'exact', spec, names });
        continue;
      }
      const m = String(l.module).replace(/\\/g, '/').replace(/\/$/, '');
      // `<package>/*`: the package's subpaths, each moving to the same subpath of the target.
      if (m.endsWith('/*')) {
        legacy.push({ id: m, kind: 'subpaths', spec: m.slice(0, -2), names });
        subpathTargets.add(target);
        continue;
      }
      const abs = path.join(root, m);
      const stat = fs.existsSync(abs) ? fs.statSync(abs) : undefined;
      if (stat?.isFile()) legacy.push({ id: m, kind: 'file', path: m, names });
      else if (stat?.isDirectory()) legacy.push({ id: m, kind: 'folder', path: m, names });
      else {
        const dir = packages.get(m);
        legacy.push({
          id: m,
          kind: 'package',
          spec: m,
          path: dir ? posix(path.relative(root, dir)) : undefined,
          names,
        });
      }
    }
  }
  const byId = new Map(legacy.map((l) => [l.id, l]));
  return {
    root,
    legacy,
    packages,
    targetSpecs,
    targetPaths,
    /** the legacy module a root-relative resolved file is (in), or undefined */
    legacyOfFile(rel) {
      return legacy.find(
        (m) => m.path && (m.kind === 'file' ? rel === m.path : rel === m.path || rel.startsWith(`${m.path}/`)),
      );
    },
    /**
     * the legacy module a specifier names by its text, or undefined: a package legacy module is its
     * root entry only, `<package>/*` its subpaths (as the core reads the config), exact specifiers as written
     */
    legacyOfSpecifier(spec) {
      return legacy.find((m) =>
        m.kind === 'exact' || m.kind === 'package'
          ? spec === m.spec
          : m.kind === 'subpaths' && spec.length > m.spec.length + 1 && spec.startsWith(`${m.spec}/`),
      );
    },
    /** 'compat' / 'router' when a specifier (or the root-relative file it resolves to) is a target, else undefined */
    targetOf(spec, resolvedRel) {
      if (targetSpecs.has(spec)) return targetSpecs.get(spec);
      for (const t of subpathTargets) if (spec.startsWith(`${t}/`)) return targetSpecs.get(t);
      if (resolvedRel !== undefined)
        return targetPaths.get(resolvedRel.replace(/\.d\.(c|m)?ts$|\.(c|m)?(t|j)sx?$/, ''));
      return undefined;
    },
    /**
     * Where one binding of a legacy site goes: `{ name, moves }`. `name` is the imported name ('*' for a
     * whole-module form), `form` the benchmark form. Names of the map move (renamed as mapped), `"*"`
     * moves every other name but `default`; whole-module forms move; `export *` moves only when every
     * export keeps its name (`"*": "*"` and no renames), otherwise it is left for a human.
     */
    binding(legacyId, name, form) {
      const l = byId.get(legacyId);
      if (!l) return { name, moves: false };
      const names = l.names;
      if (form === 'export-star') {
        const identity = names['*'] === '*' && Object.entries(names).every(([k, v]) => v === '*' || v === k);
        return { name, moves: identity };
      }
      if (name === '*') return { name, moves: true };
      const mapped = Object.prototype.hasOwnProperty.call(names, name)
        ? names[name]
        : name !== 'default'
          ? names['*']
          : undefined;
      if (mapped === undefined) return { name, moves: false };
      return { name: mapped === '*' ? name : mapped, moves: true };
    },
  };
}

module.exports = { readMigrationSpec, workspacePackages, PRESETS };
