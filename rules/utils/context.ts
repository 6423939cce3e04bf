import * as fs from 'node:fs';
import * as path from 'node:path';
import type ts from 'typescript';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { AnalysisContext, FileAnalysis } from '../../src/core/index.js';
import { core } from './core.js';
import { inlineConfig, type ConfigOptions, type RestrictedImportsOptions } from './options.js';

/**
 * The adapter's only state: AnalysisContexts cached per config file (re-read when its mtime
 * changes; tsconfig changes are the resolver's `refresh()`), per inline options, and one
 * FileAnalysis per linted file shared by every ssot rule (keyed by ESLint's SourceCode object).
 * Everything is per file, so the rules are safe with `--cache` and `--concurrency`.
 */

export type ContextResult =
  | { kind: 'ok'; ctx: AnalysisContext }
  /** No ssot config for this file and no inline options: the rules have nothing to check. */
  | { kind: 'none' }
  | { kind: 'error'; message: string };

interface FileConfigEntry {
  mtimeMs: number;
  size: number;
  result: ContextResult;
}

const byConfigFile = new Map<string, FileConfigEntry>();
const byInlineOptions = new Map<string, ContextResult>();
/** Folder -> config file found from it (upward search), re-checked after DIR_TTL_MS. */
const configFileByDir = new Map<string, { file: string | undefined; checkedAt: number }>();
const DIR_TTL_MS = 2_000;

function statOf(file: string): { mtimeMs: number; size: number } | undefined {
  try {
    const st = fs.statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return undefined;
  }
}

/**
 * The config file for a folder, from the cache within DIR_TTL_MS. A cached file that is gone is
 * found by the caller's stat of it (fromConfigFile), which then asks again with `fresh`: one
 * system call per linted file instead of an exists and a stat.
 */
function configFileFor(dir: string, fresh = false): string | undefined {
  const now = Date.now();
  const cached = configFileByDir.get(dir);
  if (!fresh && cached && now - cached.checkedAt < DIR_TTL_MS) return cached.file;
  const file = core().findConfigFile(dir);
  configFileByDir.set(dir, { file, checkedAt: now });
  return file;
}

function errorResult(error: unknown): ContextResult {
  if (error instanceof core().ConfigError) return { kind: 'error', message: error.message };
  throw error;
}

function fromConfigFile(file: string, st = statOf(file)): ContextResult {
  if (!st) return { kind: 'error', message: `Config file not found: ${file}` };
  const cached = byConfigFile.get(file);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
    if (cached.result.kind === 'ok') cached.result.ctx.resolver.refresh();
    return cached.result;
  }
  let result: ContextResult;
  try {
    const { createAnalysisContext, loadConfig } = core();
    result = { kind: 'ok', ctx: createAnalysisContext(loadConfig({ configPath: file })) };
  } catch (error) {
    result = errorResult(error);
  }
  byConfigFile.set(file, { ...st, result });
  return result;
}

/** The AnalysisContext for a linted file under the rule's options (cached; see above). */
function getAnalysisContext(
  filename: string,
  options: ConfigOptions & RestrictedImportsOptions,
  cwd: string,
): ContextResult {
  if (options.configFile) return fromConfigFile(path.resolve(cwd, options.configFile));
  const inline = inlineConfig(options);
  if (inline) {
    const rootDir = path.resolve(cwd, options.rootDir ?? '.');
    const key = `${rootDir}\0${JSON.stringify(inline)}`;
    let result = byInlineOptions.get(key);
    if (!result) {
      try {
        const { createAnalysisContext, resolveConfig } = core();
        result = { kind: 'ok', ctx: createAnalysisContext(resolveConfig(inline, rootDir)) };
      } catch (error) {
        result = errorResult(error);
      }
      byInlineOptions.set(key, result);
    } else if (result.kind === 'ok') result.ctx.resolver.refresh();
    return result;
  }
  const dir = path.dirname(filename);
  const file = configFileFor(dir);
  if (!file) return { kind: 'none' };
  const st = statOf(file);
  if (st) return fromConfigFile(file, st);
  // Deleted since it was found: search again (a config further up may apply now, or none).
  const again = configFileFor(dir, true);
  return again ? fromConfigFile(again) : { kind: 'none' };
}

/**
 * getAnalysisContext once per linted file and options: ESLint creates every rule's listener for a
 * file from the same SourceCode, so the second and third ssot rule take the first one's answer
 * instead of checking the config file again (a stat and an exists per rule and file: 0.3 s of
 * theia's 3,456 files, by a CPU profile). A config changed between two files is still seen.
 */
const contextsPerLintedFile = new WeakMap<SourceCode, Map<string, ContextResult>>();

function contextForLintedFile(
  sourceCode: SourceCode,
  filename: string,
  options: ConfigOptions & RestrictedImportsOptions,
  cwd: string,
): ContextResult {
  let perFile = contextsPerLintedFile.get(sourceCode);
  if (!perFile) contextsPerLintedFile.set(sourceCode, (perFile = new Map()));
  // What getAnalysisContext reads of the options (a rule's own options, such as `fix`, differ).
  const key = JSON.stringify([filename, cwd, options.configFile, options.rootDir, inlineConfig(options) ?? null]);
  let result = perFile.get(key);
  if (!result) {
    stats.configLookups++;
    perFile.set(key, (result = getAnalysisContext(filename, options, cwd)));
  }
  return result;
}

/** Drops every cached config and context (tests; an editor never needs it). */
export function clearCaches(): void {
  byConfigFile.clear();
  byInlineOptions.clear();
  configFileByDir.clear();
}

type SourceCode = Readonly<TSESLint.SourceCode>;

/** A file's analysis and the TypeScript parse it came from (reused by the fixer). */
export interface LintedFile {
  analysis: FileAnalysis;
  sourceFile?: ts.SourceFile;
}

const analyses = new WeakMap<SourceCode, Map<AnalysisContext, LintedFile>>();

/** Counters for tests and the benchmark: how many files were analysed, parsed, prefiltered out. */
export const stats = { analyzed: 0, prefiltered: 0, reusedSourceFile: 0, parsed: 0, shared: 0, configLookups: 0 };

interface ParserServicesLike {
  program?: { getSourceFile(file: string): ts.SourceFile | undefined } | null;
  esTreeNodeToTSNodeMap?: { get(node: unknown): unknown };
}

/** The TypeScript SourceFile typescript-eslint already built for this text, if any. */
function tsSourceFileOf(sourceCode: SourceCode, filename: string): ts.SourceFile | undefined {
  const services = sourceCode.parserServices as ParserServicesLike | undefined;
  if (!services) return undefined;
  const candidates: unknown[] = [];
  try {
    candidates.push(services.esTreeNodeToTSNodeMap?.get(sourceCode.ast));
  } catch {
    // Node maps are optional (preserveNodeMaps: false).
  }
  try {
    candidates.push(services.program?.getSourceFile(filename));
  } catch {
    // No program.
  }
  for (const c of candidates) {
    const sf = c as ts.SourceFile | undefined;
    // SyntaxKind.SourceFile is 308 in TS 5/6 but not a stable number: check the shape instead.
    if (
      sf &&
      typeof sf.text === 'string' &&
      Array.isArray((sf as { statements?: unknown }).statements) &&
      sf.text === sourceCode.text
    )
      return sf;
  }
  return undefined;
}

/**
 * The core's analysis of the linted file, computed once per file and context and shared by all
 * ssot rules. The prefilter runs first (most files stop there, unparsed); then the core analyses
 * the file, reusing typescript-eslint's TypeScript SourceFile when there is one.
 */
export function analyzeLintedFile(ctx: AnalysisContext, sourceCode: SourceCode, filename: string): LintedFile {
  let perContext = analyses.get(sourceCode);
  if (!perContext) analyses.set(sourceCode, (perContext = new Map()));
  const cached = perContext.get(ctx);
  if (cached) {
    stats.shared++;
    return cached;
  }
  const text = sourceCode.text;
  let result: LintedFile;
  stats.analyzed++;
  if (!ctx.prefilter.mayMatch(text, path.resolve(filename))) {
    stats.prefiltered++;
    result = { analysis: { file: path.resolve(filename), parsed: false, sites: [], duplicates: [], parseErrors: [] } };
  } else {
    let sourceFile = tsSourceFileOf(sourceCode, filename);
    if (sourceFile) stats.reusedSourceFile++;
    else {
      stats.parsed++;
      sourceFile = core().parseFile(path.resolve(filename), text).sourceFile;
    }
    result = { analysis: core().analyzeFile(ctx, filename, text, { sourceFile }), sourceFile };
  }
  perContext.set(ctx, result);
  return result;
}

/**
 * The start of every ssot rule: the AnalysisContext for the linted file. No ssot config for it:
 * no listener (nothing to check). A broken config: one `configError` report on the file, never a
 * silent pass. Otherwise `listen(ctx, filename)` builds the rule's listener.
 */
export function withAnalysisContext<MessageIds extends string>(
  context: Readonly<TSESLint.RuleContext<MessageIds | 'configError', readonly unknown[]>>,
  options: ConfigOptions & RestrictedImportsOptions,
  listen: (ctx: AnalysisContext, filename: string) => TSESLint.RuleListener,
): TSESLint.RuleListener {
  // Relative or virtual names (stdin: '<text>') are taken from ESLint's cwd.
  const filename = path.resolve(context.cwd, context.physicalFilename ?? context.filename);
  const result = contextForLintedFile(context.sourceCode, filename, options, context.cwd);
  if (result.kind === 'none') return {};
  if (result.kind === 'error') {
    return {
      Program(node: TSESTree.Program): void {
        context.report({
          node,
          loc: { line: 1, column: 0 },
          messageId: 'configError',
          data: { message: result.message },
        });
      },
    };
  }
  return listen(result.ctx, filename);
}
