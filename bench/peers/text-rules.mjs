// Rules for the peers that match specifier TEXT (ast-grep, ESLint's core no-restricted-imports),
// generated from the config and the checkout the way a user of those tools has to write them by hand:
// they do not resolve modules, so every spelling that reaches a legacy module is listed, and each is
// scoped to the folders where it means that module (a `../types` two folders away is another file).
//
// The spellings come from the oracle's sites of the pristine tree (what a user finds by searching the
// code); the scopes are exact by construction: a relative spelling that climbs `d` folders from the
// folder `base` means the same file from every folder exactly `d` levels below `base`, and nowhere
// else. Bare spellings (package names, path aliases) mean the module wherever they appear. The files
// that are legacy modules themselves are excluded. The oracle then judges these peers like any tool.
const posix = (p) => p.split('\\').join('/');

/** How many folders a relative specifier climbs above its importer's folder (0 for `./x`, 2 for `../../x`). */
function climb(specifier) {
  let level = 0,
    lowest = 0;
  for (const part of specifier.split('/')) {
    if (part === '..') lowest = Math.min(lowest, --level);
    else if (part !== '.' && part !== '') level++;
  }
  return -lowest;
}

/**
 * Spelling groups: `{ legacyId, base, depth, spellings }`; `base === null` for bare spellings (every
 * folder). Sorted, so the generated rules are the same for the same tree.
 */
export function spellingScopes(baseline) {
  const groups = new Map();
  for (const [rel, sites] of Object.entries(baseline.files)) {
    for (const s of sites) {
      if (!s.target.startsWith('legacy:')) continue;
      const legacyId = s.target.slice('legacy:'.length);
      let base = null,
        depth = 0;
      if (s.spec.startsWith('.')) {
        depth = climb(s.spec);
        const dir = posix(rel).split('/').slice(0, -1);
        base = dir.slice(0, dir.length - depth).join('/');
      }
      const key = `${legacyId}\0${base}\0${depth}`;
      if (!groups.has(key)) groups.set(key, { legacyId, base, depth, spellings: new Set() });
      groups.get(key).spellings.add(s.spec);
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, spellings: [...g.spellings].sort() }))
    .sort((a, b) => `${a.legacyId}\0${a.base}\0${a.depth}`.localeCompare(`${b.legacyId}\0${b.base}\0${b.depth}`));
}

/** Files that are legacy modules themselves (never rewritten, never reported): globs from the root. */
export function legacyFileGlobs(spec) {
  return spec.legacy.filter((l) => l.path).map((l) => (l.kind === 'file' ? l.path : `${l.path}/**`));
}

/** The specifier legacy imports move to (a package specifier: text tools cannot compute relative paths). */
export function targetSpecifier(spec) {
  const found = [...spec.targetSpecs].find(([, label]) => label === 'compat');
  if (!found)
    throw new Error(
      'the text-matching peers need a package specifier as the migration target (compat or canonical module)',
    );
  return found[0];
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const alternation = (spellings) => spellings.map(escapeRe).join('|');

/**
 * Which names of one legacy module move: `{ all: true }` when every name keeps its own (`"*": "*"`,
 * no renames: whole statements move, `export *` too), else the list of names that move unrenamed.
 */
export function movingNames(spec, legacyId) {
  const l = spec.legacy.find((x) => x.id === legacyId);
  const names = l?.names ?? {};
  const renamed = Object.entries(names).filter(([k, v]) => v !== '*' && v !== k);
  if (renamed.length)
    throw new Error(
      `the text-matching peers cannot rename (${legacyId}: ${renamed.map(([k, v]) => `${k} -> ${v}`).join(', ')})`,
    );
  if (names['*'] === '*') return { all: true };
  return {
    all: false,
    names: Object.keys(names)
      .filter((k) => k !== '*')
      .sort(),
  };
}

/** Globs (from the root) of the files a group applies to: exactly `depth` folders below `base`. */
export function scopeGlobs(group) {
  if (group.base === null) return { files: undefined, ignores: undefined };
  const prefix = group.base ? `${group.base}/` : '';
  return { files: `${prefix}${'*/'.repeat(group.depth)}*`, ignores: `${prefix}${'*/'.repeat(group.depth + 1)}*` };
}
