import * as fs from 'node:fs';
import * as path from 'node:path';
import { picomatch } from '../../shared/cjs-packages.js';
import { isInside, stripExtension, toPosix } from '../../shared/paths.js';
import type { ResolvedConcept, ResolvedLegacyModule } from './types.js';
import type { SchemaViolation } from './validate.js';

/** Files of a legacy folder checked against `canonical.files` (a folder that large is listed by its first files). */
const MAX_FOLDER_FILES = 10_000;

function sameModule(a: string, b: string): boolean {
  return a === b || stripExtension(a) === stripExtension(b);
}

/** True when the path module `inner` is the legacy path module or lies inside it (or the other way round for folders). */
function pathsOverlap(modulePath: string, legacy: ResolvedLegacyModule): boolean {
  if (!legacy.path) return false;
  if (sameModule(modulePath, legacy.path)) return true;
  if (legacy.isDirectory && isInside(modulePath, legacy.path)) return true;
  return isInside(legacy.path, modulePath);
}

function packageOverlaps(specifier: string, legacyPackage: string): boolean {
  return specifier === legacyPackage || specifier.startsWith(legacyPackage + '/');
}

function filesOf(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < MAX_FOLDER_FILES) {
    const current = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name === 'node_modules') continue;
      const abs = path.join(current, e.name);
      if (e.isDirectory()) stack.push(abs);
      else if (e.isFile()) out.push(abs);
    }
  }
  return out;
}

/**
 * A module is legacy or canonical, never both: the classifier takes legacy first, so a module
 * listed as both would count its canonical imports as legacy ones (and inflate or deflate
 * progress). Returns one violation per overlap, naming both keys. Legacy modules given as a
 * `pattern` match specifier text, not modules, and are not compared.
 */
export function checkOverlaps(concepts: readonly ResolvedConcept[], rootDir: string): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  concepts.forEach((concept, ci) => {
    const at = `concepts[${ci}]`;
    const others: { key: string; what: string; module: string; path?: string }[] = [
      {
        key: `${at}.canonical.module`,
        what: 'the canonical module',
        module: concept.canonical.module,
        ...(concept.canonical.path ? { path: concept.canonical.path } : {}),
      },
    ];
    if (concept.compat) {
      others.push({
        key: `${at}.compat.module`,
        what: 'the compat module',
        module: concept.compat.module,
        ...(concept.compat.path ? { path: concept.compat.path } : {}),
      });
    }
    const canonicalFiles = concept.canonical.files.map((glob, gi) => ({
      gi,
      glob,
      isMatch: picomatch(glob, { dot: true }),
    }));
    concept.legacy.forEach((legacy, li) => {
      if (legacy.pattern) return;
      const key = `${at}.legacy[${li}].module`;
      for (const other of others) {
        const overlap = other.path
          ? pathsOverlap(other.path, legacy)
          : legacy.kind === 'package' && packageOverlaps(other.module, legacy.module);
        if (overlap) {
          out.push({
            path: key,
            message: `"${legacy.module}" overlaps ${other.what} (${other.key}: "${other.module}"); a module is legacy or canonical, not both`,
          });
        }
      }
      if (!legacy.path || canonicalFiles.length === 0) return;
      const files = legacy.isDirectory ? filesOf(legacy.path) : [legacy.path];
      for (const { gi, glob, isMatch } of canonicalFiles) {
        const hit = files.find((f) => isMatch(toPosix(path.relative(rootDir, f))));
        if (hit) {
          out.push({
            path: key,
            message: `"${legacy.module}" holds ${toPosix(path.relative(rootDir, hit))}, a canonical file (${at}.canonical.files[${gi}]: "${glob}"); a module is legacy or canonical, not both`,
          });
        }
      }
    });
  });
  return out;
}
