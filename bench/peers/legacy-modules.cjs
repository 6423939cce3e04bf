// Shared by the peer scripts (ts-morph, plain jscodeshift): which modules of <dir>/ssot.config.json
// are legacy, where their imports move and which names move, read through the benchmark's own
// reading of the config (bench/lib/migration-spec.cjs). Independent of ssot-kit's own code on
// purpose: a peer must not borrow the tool it is compared with.
const path = require('node:path');
const { readMigrationSpec } = require('../lib/migration-spec.cjs');

/**
 * @param {string} dir root holding ssot.config.json
 */
function legacyModules(dir) {
  const spec = readMigrationSpec(dir);
  const target = [...spec.targetSpecs].find(([, label]) => label === 'compat')?.[0];
  if (!target)
    throw new Error('the peers need a package specifier as the migration target (compat or canonical module)');
  const rel = (abs) => path.relative(spec.root, abs).split(path.sep).join('/');
  return {
    /** the specifier legacy imports move to */
    target,
    /** true for a file that is (inside) a legacy module: its own imports are not rewritten */
    inLegacy: (abs) => spec.legacyOfFile(rel(abs)) !== undefined,
    /**
     * The legacy module a specifier names, or undefined: by its text for package and exact
     * specifiers, else through `resolve()` (the peer's TypeScript resolution: an absolute path or undefined).
     */
    legacyOf(specifier, resolve) {
      const bySpec = spec.legacyOfSpecifier(specifier);
      if (bySpec) return bySpec.id;
      const abs = resolve();
      if (!abs) return undefined;
      const r = rel(abs);
      if (r.startsWith('..') || r.split('/').includes('node_modules')) return undefined;
      return spec.legacyOfFile(r)?.id;
    },
    /** whether one imported name ('*' for a whole-module form) moves; `form` as in bench/lib/semantics.mjs */
    moves: (legacyId, name, form) => spec.binding(legacyId, name, form).moves,
  };
}

module.exports = { legacyModules };
