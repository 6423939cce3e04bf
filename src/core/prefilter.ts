import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from './config/types.js';
import type { ModuleResolver } from './resolve.js';
import { isInside, stripExtension } from './resolve.js';
import { patternNeedles } from './pattern.js';

/**
 * A text prefilter that is sound: it passes every file that can hold a finding, because any
 * import of a module must spell part of its path (or an alias/package name that maps to it),
 * and any declaration must spell its name. Files it rejects are read but need no parse.
 * Where soundness cannot be shown (a regex name without a literal part), it passes every file.
 */
export interface Prefilter {
  /** True when the text may hold a finding and must be parsed. */
  mayMatch(text: string): boolean;
  /** The literal needles, for documentation and tests. */
  readonly needles: readonly string[];
  /** True when the filter is disabled (every file passes). */
  readonly passAll: boolean;
}

function moduleNeedles(modulePath: string, isDirectory: boolean | undefined): string[] {
  const base = path.basename(modulePath).replace(/\.d\.(c|m)?ts$/, '').replace(/\.(c|m)?(t|j)sx?$/, '');
  if (isDirectory) return [base];
  if (base === 'index') return [path.basename(path.dirname(modulePath)), "'.'", '".."', "'..'", '"."', "'./'", '"./"', "'../'", '"../"'];
  return [base];
}

/** The longest run of literal characters in a regex source: every match must contain it. */
function literalCore(source: string): string | undefined {
  if (/[|]/.test(source)) return undefined; // alternation: no single required literal
  const runs = source.replace(/\\[dDwWsSbB]|\[[^\]]*\]|\(\?[:=!<]|[()^$.*+?{}\d,]/g, '\u0000').split('\u0000');
  const best = runs.filter((r) => !r.includes('\\')).sort((a, b) => b.length - a.length)[0];
  return best && best.length >= 3 ? best : undefined;
}

/**
 * `legacyImportsOnly`: a narrower filter for adapters that only act on legacy import sites (the
 * codemod): just the needles a legacy module's importer must spell (module file/folder names,
 * package names, workspace package names and exact path aliases that can reach a legacy module,
 * as the resolver says); no canonical/compat modules, no declaration names or member groups.
 * Sound for legacy sites by the same argument.
 */
export function createPrefilter(config: ResolvedConfig, resolver: ModuleResolver, options: { legacyImportsOnly?: boolean } = {}): Prefilter {
  const needles = new Set<string>();
  /** Needles of case-insensitive specifier patterns, lower-cased; matched against the lower-cased text. */
  const lowerNeedles = new Set<string>();
  let passAll = false;
  const memberGroups: { members: string[]; min: number }[] = [];
  const probe = path.join(config.rootDir, '__ssot_probe__.ts');
  const legacyPaths = config.concepts.flatMap((c) => c.legacy).filter((l) => l.path && !l.pattern);
  /** legacyImportsOnly: does a bare name (package or exact alias) resolve into a legacy module? */
  const namesLegacy = (specifier: string): boolean => {
    const r = resolver.resolve(specifier, probe);
    if (r.kind !== 'file') return true; // cannot tell (or a deleted module): keep the needle
    return legacyPaths.some((l) => (l.isDirectory ? isInside(r.path, l.path!) : stripExtension(r.path) === stripExtension(l.path!)));
  };
  const hasExportsMap = (dir: string): boolean => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown }).exports !== undefined;
    } catch {
      return true;
    }
  };
  for (const concept of config.concepts) {
    for (const legacy of concept.legacy) {
      if (legacy.pattern) {
        const found = patternNeedles(legacy.pattern);
        if (!found) passAll = true;
        else if (found.caseInsensitive) for (const n of found.needles) lowerNeedles.add(n);
        else for (const n of found.needles) needles.add(n);
      } else if (legacy.kind === 'package') needles.add(legacy.module);
      else if (legacy.path) {
        for (const n of moduleNeedles(legacy.path, legacy.isDirectory)) needles.add(n);
        // A workspace package whose folder is or holds the legacy module is imported by name.
        for (const pkg of resolver.workspacePackages()) {
          if (!isInside(legacy.path, pkg.dir) && !isInside(pkg.dir, legacy.path)) continue;
          // For legacy import sites only: a package that merely holds the legacy module deeper
          // down is reached through subpaths that spell it, unless an `exports` map renames them
          // or the package entry itself is the legacy module.
          if (options.legacyImportsOnly && !isInside(pkg.dir, legacy.path) && !hasExportsMap(pkg.dir) && !namesLegacy(pkg.name)) continue;
          needles.add(pkg.name);
        }
      }
    }
    if (options.legacyImportsOnly) continue;
    for (const mod of [concept.canonical, concept.compat]) {
      if (!mod) continue;
      if (mod.path) for (const n of moduleNeedles(mod.path, false)) needles.add(n);
      else needles.add(mod.module);
    }
    for (const name of [...concept.detect.names, ...concept.canonical.names, ...concept.detect.heritage]) {
      if (name.startsWith('/')) {
        const core = literalCore(name.slice(1, name.lastIndexOf('/')));
        if (core) needles.add(core);
        else passAll = true;
      } else needles.add(name);
    }
    if (concept.detect.members.length > 0) memberGroups.push({ members: concept.detect.members, min: concept.detect.minMembers });
  }
  // Exact tsconfig `paths` aliases (no `*`) can name a module without spelling its file name.
  const compilerOptions = resolver.optionsFor(path.join(config.rootDir, '__ssot_probe__.ts'));
  for (const key of Object.keys(compilerOptions.paths ?? {})) {
    if (key.includes('*')) continue;
    if (options.legacyImportsOnly && !namesLegacy(key)) continue;
    needles.add(key);
  }

  const list = [...needles].filter((n) => n.length > 0);
  const lowerList = [...lowerNeedles].filter((n) => n.length > 0);
  return {
    needles: [...list, ...lowerList],
    passAll,
    mayMatch(text: string): boolean {
      if (passAll) return true;
      for (const needle of list) if (text.includes(needle)) return true;
      if (lowerList.length > 0) {
        const lower = text.toLowerCase();
        for (const needle of lowerList) if (lower.includes(needle)) return true;
      }
      for (const group of memberGroups) {
        let count = 0;
        for (const m of group.members) if (text.includes(m) && ++count >= group.min) return true;
      }
      return false;
    },
  };
}
