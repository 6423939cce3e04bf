import * as path from 'node:path';
import { picomatch } from '../shared/cjs-packages.js';
import type ts from 'typescript';
import type { ResolvedConfig } from './config/types.js';
import { SiteClassifier } from './classify.js';
import { stripExtension, toPosix } from '../shared/paths.js';
import { declarationMemo, detectDuplicates } from './detect.js';
import { createDetectionContext, type DetectionContext } from './detection-context.js';
import { findRegistries, type Registry } from './registry.js';
import { copyNeedles } from './similarity.js';
import { collectImportSites } from './inventory.js';
import { parseFile } from './parse.js';
import { createPrefilter, type Prefilter } from './prefilter.js';
import { ModuleResolver } from './resolve.js';
import type { BuiltOnLegacy, ClassifiedSite, DuplicateFinding, FileAnalysis } from './types.js';

/** Everything needed to analyse files of one project; build once, reuse for every file. */
export interface AnalysisContext {
  config: ResolvedConfig;
  resolver: ModuleResolver;
  classifier: SiteClassifier;
  prefilter: Prefilter;
  /** Per concept: true when a file may define the concept (canonical or allowed files). */
  mayDefine: Map<string, (relativeFile: string) => boolean>;
  /** Duplicate detection's per-concept data and cross-file answers. */
  detection: DetectionContext;
}

export function createAnalysisContext(config: ResolvedConfig): AnalysisContext {
  const resolver = new ModuleResolver(config.rootDir, config.tsconfig);
  const mayDefine = new Map<string, (f: string) => boolean>();
  for (const concept of config.concepts) {
    const globs = [...concept.canonical.files, ...concept.allow];
    const matches = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
    // The canonical module (and its compat layer) is where the concept is meant to be defined.
    const own = [concept.canonical.path, concept.compat?.path]
      .filter((p): p is string => p !== undefined)
      .map((p) => stripExtension(toPosix(path.relative(config.rootDir, p))));
    mayDefine.set(
      concept.id,
      (file) => own.some((p) => stripExtension(file) === p || file.startsWith(p + '/')) || matches(file),
    );
  }
  const detection = createDetectionContext(config, resolver);
  const concepts = [...detection.concepts.values()];
  const prefilter = createPrefilter(config, resolver, {
    duplicates: {
      registries: concepts.some((c) => c.profiles.length > 0),
      copies: () =>
        concepts.flatMap((c) => c.references().map((r) => copyNeedles(r.shingles, c.concept.detect.similarity))),
    },
  });
  return {
    config,
    resolver,
    classifier: new SiteClassifier(config, resolver, prefilter, detection.symbols),
    prefilter,
    mayDefine,
    detection,
  };
}

export function relativeToRoot(ctx: AnalysisContext, file: string): string {
  return toPosix(path.relative(ctx.config.rootDir, file));
}

/** The analysis of a file the prefilter rules out: it names no configured module, nothing to parse. */
export function unparsedAnalysis(absolute: string): FileAnalysis {
  return { file: absolute, parsed: false, sites: [], duplicates: [], parseErrors: [] };
}

/**
 * Analyses one file from its text: import sites (classified against the concepts) and duplicate
 * implementations. A syntax error is recorded as a finding of the file, never thrown.
 * Pass `sourceFile` to reuse a parse (the ESLint rules and the codemod do); `builtOnLegacy: false`
 * leaves out the subclasses and wrappers of legacy implementations (resolving every base class
 * and field's class through the imports) for a caller that shows none of them.
 */
export function analyzeFile(
  ctx: AnalysisContext,
  file: string,
  text: string,
  options: {
    sourceFile?: ts.SourceFile;
    skipPrefilter?: boolean;
    skipDuplicates?: boolean;
    builtOnLegacy?: boolean;
  } = {},
): FileAnalysis {
  const absolute = path.resolve(file);
  if (!options.sourceFile && !options.skipPrefilter && !ctx.prefilter.mayMatch(text, absolute)) {
    return unparsedAnalysis(absolute);
  }
  // JSDoc stays unparsed: neither the import inventory nor detection reads it, node positions and
  // syntax errors do not depend on it (TypeScript keeps JSDoc's own errors apart), and it is a large
  // part of the parse.
  const parsed = options.sourceFile
    ? { sourceFile: options.sourceFile, errors: [] }
    : parseFile(absolute, text, { skipJsDoc: true });
  const sf = parsed.sourceFile;
  const rawSites = collectImportSites(sf);
  // From here on, every other file read (an exported instance's module, a base class's) is an input of this analysis.
  ctx.detection.symbols.startLog();
  const sites: ClassifiedSite[] = rawSites.map((site) => ({
    ...site,
    file: absolute,
    ...ctx.classifier.classify(site, absolute),
  }));
  const relativeFile = relativeToRoot(ctx, absolute);
  const duplicates: DuplicateFinding[] = [];
  const builtOnLegacy: BuiltOnLegacy[] = [];
  let registries: Registry[] | undefined;
  const declarations = declarationMemo();
  for (const concept of options.skipDuplicates ? [] : ctx.config.concepts) {
    if (ctx.mayDefine.get(concept.id)?.(relativeFile)) continue;
    const detection = ctx.detection.concepts.get(concept.id)!;
    const propertyKinds = ctx.detection.propertyKindsFor(rawSites);
    // The file's registries serve every concept: found once, on the first concept that looks.
    if (detection.profiles.length > 0) registries ??= findRegistries(sf, propertyKinds);
    const found = detectDuplicates(sf, detection, {
      relativeFile,
      ...(registries ? { registries } : {}),
      propertyKinds,
      bases: ctx.detection.basesFor(sites, declarations),
      declarations,
      ...(options.builtOnLegacy === false ? { builtOnLegacy: false } : {}),
    });
    duplicates.push(...found.duplicates);
    builtOnLegacy.push(...found.builtOnLegacy);
  }
  for (const d of duplicates) d.file = absolute;
  for (const b of builtOnLegacy) b.file = absolute;
  const references = new Set(ctx.detection.referenceFiles());
  const dependencies = ctx.detection.symbols.stopLog().filter((f) => f !== absolute && !references.has(f));
  return {
    file: absolute,
    parsed: true,
    sites,
    duplicates,
    ...(builtOnLegacy.length > 0 ? { builtOnLegacy } : {}),
    ...(dependencies.length > 0 ? { dependencies } : {}),
    parseErrors: parsed.errors.map((e) => ({ ...e, file: absolute })),
  };
}
