import * as path from 'node:path';
import type { AnalysisContext } from '../analyze.js';
import { toPosix } from '../../shared/paths.js';
import { stripExtension } from '../resolve.js';
import type { ClassifiedSite, ImportForm } from '../types.js';

/** How the file spells relative specifiers: with an extension (`.js`, `.ts`) or none. */
type ExtensionStyle = 'none' | 'js' | 'ts';

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

function extensionStyleOf(specifier: string): ExtensionStyle | undefined {
  const m = /\.(c|m)?(t|j)sx?$/.exec(specifier);
  if (!m) return undefined;
  return m[2] === 't' ? 'ts' : 'js';
}

/** The extension to write for a target file in a given style. */
function extensionFor(targetPath: string, style: ExtensionStyle): string {
  if (style === 'none') return '';
  const ext = path.extname(targetPath).toLowerCase();
  if (style === 'ts') return ext;
  if (ext === '.mts') return '.mjs';
  if (ext === '.cts') return '.cjs';
  if (ext === '.ts' || ext === '.tsx' || ext === '.jsx') return '.js';
  return ext;
}

/** The file's relative-specifier style: the site's own spelling first, then its neighbours'. */
function styleFor(site: ClassifiedSite, siblings: readonly ClassifiedSite[]): { ext: ExtensionStyle; alias: boolean } {
  const own = site.specifier;
  const alias =
    !isRelative(own) && !path.isAbsolute(own) && site.resolution.kind === 'file' && !site.resolution.isExternalLibrary;
  const ownExt = extensionStyleOf(own);
  if (ownExt) return { ext: ownExt, alias };
  if (isRelative(own) || alias) return { ext: 'none', alias };
  // A package or deleted-module specifier says nothing: follow the file's other relative imports.
  for (const s of siblings) {
    if (!isRelative(s.specifier)) continue;
    return { ext: extensionStyleOf(s.specifier) ?? 'none', alias: false };
  }
  return { ext: 'none', alias: false };
}

function relativeSpecifier(fromFile: string, targetNoExt: string): string {
  let rel = toPosix(path.relative(path.dirname(fromFile), targetNoExt));
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel;
}

/** Spellings of `targetNoExt` through the tsconfig `paths` aliases that apply to the file. */
function aliasSpecifiers(ctx: AnalysisContext, fromFile: string, targetNoExt: string, preferFor: string): string[] {
  const options = ctx.resolver.optionsFor(fromFile);
  const paths = options.paths ?? {};
  const base =
    options.baseUrl ?? (options.configFilePath ? path.dirname(String(options.configFilePath)) : ctx.config.rootDir);
  const out: { spec: string; preferred: boolean }[] = [];
  for (const [pattern, targets] of Object.entries(paths)) {
    const star = pattern.indexOf('*');
    for (const t of targets) {
      const tStar = t.indexOf('*');
      if (star < 0 || tStar < 0) continue;
      // Keep the folder separator of `src/*`: path.resolve drops it, and the capture would start with '/'.
      const rawPrefix = t.slice(0, tStar);
      const prefix = toPosix(path.resolve(base, rawPrefix)) + (rawPrefix === '' || rawPrefix.endsWith('/') ? '/' : '');
      const suffix = stripExtension(t.slice(tStar + 1));
      const target = toPosix(targetNoExt);
      if (!target.startsWith(prefix) || !target.endsWith(suffix)) continue;
      const captured = target.slice(prefix.length, target.length - suffix.length);
      if (captured.length === 0) continue;
      const spec = pattern.slice(0, star) + captured + stripExtension(pattern.slice(star + 1));
      out.push({ spec, preferred: preferFor.startsWith(pattern.slice(0, star)) });
    }
  }
  return out.sort((a, b) => Number(b.preferred) - Number(a.preferred)).map((o) => o.spec);
}

function sameModule(a: string, b: string): boolean {
  return stripExtension(path.normalize(a)) === stripExtension(path.normalize(b));
}

/**
 * The specifier for `target` as this file would write it. A package target is used as is; a
 * repo path follows the site's style (tsconfig path alias or relative, extension or none) and is
 * checked with the core's resolver: the spelling must resolve to the target for this file.
 */
export function specifierFor(
  ctx: AnalysisContext,
  site: ClassifiedSite,
  target: { module: string; isPath: boolean },
  siblings: readonly ClassifiedSite[],
  form: ImportForm = site.form,
): { specifier: string } | { error: string } {
  if (!target.isPath) return { specifier: target.module };
  const file = site.file;
  const style = styleFor(site, siblings);
  let targetNoExt = stripExtension(target.module);
  const candidates: string[] = [];
  const withExt = (s: string, ext: ExtensionStyle) => s + extensionFor(target.module, ext);
  const dropIndex = (s: string) => (path.posix.basename(s) === 'index' ? path.posix.dirname(s) : s);
  if (style.alias)
    for (const a of aliasSpecifiers(ctx, file, targetNoExt, site.specifier))
      candidates.push(withExt(style.ext === 'none' ? dropIndex(a) : a, style.ext));
  const rel = relativeSpecifier(file, targetNoExt);
  candidates.push(withExt(style.ext === 'none' ? dropIndex(rel) : rel, style.ext));
  // Fallbacks, should the file's style not resolve under its module settings.
  candidates.push(rel, withExt(rel, 'js'), withExt(rel, 'ts'));
  for (const candidate of candidates) {
    const resolution = ctx.resolver.resolve(candidate, file, form);
    if (resolution.kind === 'file' && sameModule(resolution.path, target.module)) return { specifier: candidate };
  }
  targetNoExt = toPosix(targetNoExt);
  return {
    error: `no specifier written from ${toPosix(path.relative(ctx.config.rootDir, file))} resolves to ${targetNoExt}`,
  };
}

/**
 * How `file` should spell an import of `target` when no import site is being rewritten (e.g. a
 * suggestion to import the canonical module): in the style of the file's own imports.
 */
export function specifierForFile(
  ctx: AnalysisContext,
  file: string,
  sitesOfFile: readonly ClassifiedSite[],
  target: { module: string; isPath: boolean },
): { specifier: string } | { error: string } {
  if (!target.isPath) return { specifier: target.module };
  const model = sitesOfFile.find((s) => isRelative(s.specifier)) ?? sitesOfFile[0];
  if (model) return specifierFor(ctx, model, target, sitesOfFile, 'import');
  const rel = relativeSpecifier(file, stripExtension(target.module));
  for (const candidate of [rel, rel + '.js', rel + '.ts']) {
    const resolution = ctx.resolver.resolve(candidate, file, 'import');
    if (resolution.kind === 'file' && sameModule(resolution.path, target.module)) return { specifier: candidate };
  }
  return {
    error: `no specifier written from ${toPosix(path.relative(ctx.config.rootDir, file))} resolves to ${toPosix(stripExtension(target.module))}`,
  };
}
