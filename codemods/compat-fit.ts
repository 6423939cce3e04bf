import * as fs from 'node:fs';
import { analyzeFile } from '../src/core/analyze.js';
import { resolvedIntoLegacy } from '../src/core/classify.js';
import type { ResolvedConcept, ResolvedConfig, ResolvedLegacyModule } from '../src/core/config/types.js';
import { mapLegacyName } from '../src/core/mapping.js';
import { applyEdits, type PlanOptions } from '../src/core/rewrite/plan.js';
import type { TextEdit } from '../src/core/types.js';
import ts from '../src/core/typescript.cjs';
import { relativePosix } from '../src/shared/paths.js';
import { conceptScope } from './checker-scope.js';
import { newFindings, type Finding } from './findings.js';
import { CheckerProgram, conceptModuleFiles, type SourceFileCache } from './checker-program.js';
import type { MemberCallerReach } from './importers.js';
import { migrateText, type MigrationContext, type TextMigration } from './import-migration.js';
import { usesLegacyMembers } from './member-uses.js';

/**
 * Stage 1, checked: the import rewrite of `ssot migrate` keeps legacy code compiling and behaving
 * only where the compat layer accepts every call the code makes. The planner decides from syntax;
 * this pass asks the type checker about the files whose rewrite calls legacy methods, before
 * anything is written:
 *
 * - a two-parameter handler whose first parameter is a user id (its own type, or the legacy
 *   method's handler type, says `string`) is wrapped in the compat layer's `userIdHandler(...)`:
 *   at run time a two-parameter handler is otherwise called as `(ctx, message)`;
 * - a call whose result is used, where the compat method returns something the legacy one did not
 *   (`routeMessage` resolving to a RouteResult where the code tests a boolean), refuses the file;
 * - the rewritten files are type-checked together against the originals: a file that gains an
 *   error is refused, with the errors as the reason. So are the files in scope that import them
 *   (directly or not): a file that gains an error there refuses the rewritten files it imports.
 *   Nothing refused is written.
 */

export interface FitRefusal {
  /** Where in the file, when the reason is about a place in it. */
  line?: number;
  column?: number;
  reason: string;
}

export interface FitOutcome {
  file: string;
  /** What to write: the import rewrite plus the adapters; absent when refused. */
  output?: string;
  refused: FitRefusal[];
  /** Handlers wrapped in userIdHandler. */
  adapted: number;
}

export interface FitItem {
  file: string;
  /** The file as it is on disk. */
  text: string;
  /** migrateText's result for it (status 'changed'). */
  migration: TextMigration;
}

const ADAPTER = 'userIdHandler';
const REGISTRATIONS = new Set(['addHandler', 'registerHandler', 'removeHandler']);

interface Legacy {
  concept: ResolvedConcept;
  /** The legacy module that declares the called name. */
  module: ResolvedLegacyModule;
  /** The compat module's source file in the project, when it resolves. */
  compat: ts.SourceFile | undefined;
  /** What the compat layer passes a two-parameter handler first: the canonical HandlerContext. */
  context: ts.Type | undefined;
}

/** The type a canonical module exports under `name` (through re-exports), when it resolves. */
function exportedType(checker: ts.TypeChecker, module: ts.SourceFile | undefined, name: string): ts.Type | undefined {
  const moduleSymbol = module && checker.getSymbolAtLocation(module);
  const symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((e) => e.name === name);
  if (!symbol) return undefined;
  return checker.getDeclaredTypeOfSymbol(
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol,
  );
}

/** How far the check reaches beyond the files it is given. */
export interface FitScope {
  /** The member callers and the import paths to them (importers.ts): a caller is checked with the files it reaches. */
  reach?: MemberCallerReach;
  /** Whether a file is inspected and type-checked itself, not only through its callers. */
  checksItself(file: string, text: string): boolean;
}

/**
 * `fitItems`: the files to check (src/migrate/fit.ts selects them: those that read or call legacy
 * members, and those such a file reaches through imports).
 */
export function fitToCompat(
  mctx: MigrationContext,
  fitItems: readonly FitItem[],
  options: PlanOptions = {},
  scope: FitScope = { checksItself: () => true },
  /** The run's parsed files, when a later check (`--typecheck`) can take the lib files from them. */
  sourceFiles?: SourceFileCache,
): Map<string, FitOutcome> {
  const reach = scope.reach;
  const config = mctx.ctx.config;
  const out = new Map<string, FitOutcome>();
  if (fitItems.length === 0) return out;
  const items = fitItems;
  const files = items.map((i) => i.file);
  // The files that read or call legacy members themselves are inspected and type-checked; the
  // others are here because a member caller reaches what they export (src/migrate/fit.ts): their
  // rewrite is checked through those callers.
  const calling = new Set(items.filter((i) => scope.checksItself(i.file, i.text)).map((i) => i.file));
  // Each caller of a rewritten file (a member caller it reaches: importers.ts) with the rewritten
  // files it reaches, and the files between them.
  const importers = new Map<string, Set<string>>();
  const via = new Set<string>();
  for (const file of reach ? files : []) {
    const found = reach!.callersOf(file);
    for (const caller of found.callers) importers.set(caller, (importers.get(caller) ?? new Set()).add(file));
    for (const f of found.via) via.add(f);
  }
  const checked = [...new Set([...files, ...importers.keys()])];
  const selfChecked = (file: string): boolean => calling.has(file) || importers.has(file);
  // The compat modules are roots too: the checker asks for their exports. So are the canonical
  // modules where a checked file registers a handler (their HandlerContext is what the compat layer
  // passes a two-parameter handler); elsewhere the program does without them and what they import
  // (the WebSocket adapter's Node types), as the project's own compile does.
  const registers = items.some((i) => calling.has(i.file) && usesLegacyMembers(mctx, REGISTRATIONS, i.file, i.text));
  const targets = new Map<string, { compat?: string; canonical?: string }>();
  const probe = new CheckerProgram(config, [], conceptScope(config, []));
  for (const concept of config.concepts) {
    if (!concept.compat) continue;
    const { compat, canonical } = conceptModuleFiles(probe, concept, files[0]!);
    targets.set(concept.id, {
      ...(compat && fs.existsSync(compat) ? { compat } : {}),
      ...(registers && canonical && fs.existsSync(canonical) ? { canonical } : {}),
    });
  }
  const extra = [...targets.values()].flatMap((t) => [t.compat, t.canonical]).filter((f): f is string => !!f);
  const project = new CheckerProgram(config, [...checked, ...extra], conceptScope(config, checked, via), {
    shared: sourceFiles,
    checkJs: true,
  });
  const sourceOf = (file: string | undefined): ts.SourceFile | undefined =>
    file === undefined ? undefined : project.sourceFile(file);
  const compatFiles = new Map([...targets].map(([id, t]) => [id, sourceOf(t.compat)] as const));
  const canonicalFiles = new Map([...targets].map(([id, t]) => [id, sourceOf(t.canonical)] as const));
  const checker = project.checker;
  const contexts = new Map(
    [...canonicalFiles].map(([id, sf]) => [id, exportedType(checker, sf, 'HandlerContext')] as const),
  );
  const legacyOf = (symbol: ts.Symbol | undefined): Legacy | undefined => {
    if (!symbol) return undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const decl of target.declarations ?? []) {
      const file = decl.getSourceFile().fileName;
      for (const concept of config.concepts) {
        const module = concept.compat ? concept.legacy.find((l) => resolvedIntoLegacy(file, l)) : undefined;
        if (module) return { concept, module, compat: compatFiles.get(concept.id), context: contexts.get(concept.id) };
      }
    }
    return undefined;
  };

  // 1. Per file, from the original program: adapters to insert, calls the compat layer cannot take.
  const planned = new Map<string, { edits: TextEdit[]; refused: FitRefusal[] }>();
  for (const item of items) {
    if (!calling.has(item.file)) continue;
    const sf = project.sourceFile(item.file);
    if (!sf) throw new Error(`the type checker did not load ${item.file}`);
    planned.set(item.file, inspect(sf, checker, legacyOf));
  }

  // 2. The outputs: the import rewrite of the adapted text, with the adapter imported.
  const outputs = new Map<string, string>();
  for (const item of items) {
    const plan = planned.get(item.file) ?? { edits: [], refused: [] };
    const outcome: FitOutcome = { file: item.file, refused: [...plan.refused], adapted: 0 };
    out.set(item.file, outcome);
    if (outcome.refused.length > 0) continue;
    if (plan.edits.length === 0) {
      outputs.set(item.file, item.migration.output!);
      continue;
    }
    const adapted = withAdapter(mctx, item, plan.edits, options);
    if ('refused' in adapted) outcome.refused.push(adapted.refused);
    else {
      outputs.set(item.file, adapted.output);
      outcome.adapted = plan.edits.length / 2;
    }
  }

  // 3. The rewritten files type-checked together; a file that gains errors is refused (and the
  // check runs again without it, since the others may have relied on it), until a check refuses
  // none: what is written has passed a check with exactly the texts written.
  // The originals' diagnostics are asked for only where a file has some after the rewrite (no
  // diagnostic after: no new one), from the program of the original texts.
  const before = new Map<string, Finding[]>();
  const beforeOf = (file: string): Finding[] => {
    if (!before.has(file)) before.set(file, project.diagnostics([file], 'original').get(file) ?? []);
    return before.get(file)!;
  };
  const refuse = (file: string, refusals: FitRefusal[]): void => {
    out.get(file)!.refused.push(...refusals);
    outputs.delete(file);
    project.setText(file, undefined);
  };
  for (const [file, text] of outputs) project.setText(file, text);
  while (outputs.size > 0) {
    const rewritten = [...outputs.keys()];
    const after = project.diagnostics([
      ...rewritten.filter(selfChecked),
      ...[...importers.keys()].filter((f) => !outputs.has(f)),
    ]);
    let refusedNow = 0;
    for (const [file, found] of after) {
      if (found.length === 0) continue;
      const fresh = newFindings(beforeOf(file), found);
      if (fresh.length === 0) continue;
      if (outputs.has(file)) {
        refusedNow++;
        refuse(
          file,
          fresh.slice(0, 3).map((d) => typeErrorRefusal(d)),
        );
        continue;
      }
      // An importer broke: every rewritten file it reaches is refused (one of them changed its types).
      for (const target of importers.get(file) ?? []) {
        if (!outputs.has(target)) continue;
        refusedNow++;
        refuse(target, [importerRefusal(config.rootDir, fresh[0]!)]);
      }
    }
    if (refusedNow === 0) break;
  }
  for (const [file, text] of outputs) out.get(file)!.output = text;
  return out;
}

function importerRefusal(root: string, d: Finding): FitRefusal {
  const where = `${relativePosix(root, d.file)}:${d.line}:${d.column}`;
  return {
    reason:
      `on the compat layer ${where}, which imports this file, would not type-check: ` +
      `TS${d.code} ${d.message.split('\n')[0]}`,
  };
}

function typeErrorRefusal(d: Finding): FitRefusal {
  return {
    line: d.line,
    column: d.column,
    reason: `on the compat layer this would not type-check: TS${d.code} ${d.message.split('\n')[0]}`,
  };
}

// ---- inspecting the original program ------------------------------------------------------------

function position(sf: ts.SourceFile, node: ts.Node): { line: number; column: number } {
  const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { line: p.line + 1, column: p.character + 1 };
}

/** The node around `node` and the parentheses that enclose it. */
function outsideParentheses(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.parent;
  return n;
}

/** True when the value of `call` is read: not a statement of its own, not `void`, not a bare `await`. */
export function resultIsUsed(call: ts.Expression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return false;
  if (ts.isAwaitExpression(parent)) return resultIsUsed(parent);
  return true;
}

const PRIMITIVE =
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.StringLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.EnumLike;

/** boolean, number, string (or a union of them, possibly with null/undefined); not void, any or unknown. */
function isPrimitive(type: ts.Type): boolean {
  const members = type.isUnion() ? type.types : [type];
  const nullish = ts.TypeFlags.Null | ts.TypeFlags.Undefined;
  return (
    members.some((t) => (t.flags & PRIMITIVE) !== 0) && members.every((t) => (t.flags & (PRIMITIVE | nullish)) !== 0)
  );
}

function isStringLike(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.StringLike) !== 0;
}

/** 'foreign': parameters none of the compat layer's calls fit, e.g. `(data, clientId: string, connector)`. */
type Shape = 'message' | 'context' | 'userId' | 'socket' | 'foreign';

/** What the compat layer calls a handler declaring `n` parameters with (it counts them at run time). */
function compatShape(n: number): Exclude<Shape, 'foreign'> {
  return n <= 1 ? 'message' : n === 2 ? 'context' : 'socket';
}

/**
 * The shape parameters of these types describe: (message), (ctx, message), (userId, message),
 * (userId, socket, message), or 'foreign' when the compat layer's arguments would not be values of
 * them: `(client: Client, message)` or `(message, ctx)` would get a HandlerContext first,
 * `(data, clientId: string, connector)` the connection object where it declares a string id. An
 * `any` or `unknown` parameter says nothing and fits.
 */
function shapeOfParameters(
  checker: ts.TypeChecker,
  parameters: readonly ts.Type[],
  context: ts.Type | undefined,
): Shape | undefined {
  const says = (t: ts.Type): boolean => (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) === 0;
  const [first, second] = parameters;
  if (parameters.length === 1) return 'message';
  if (parameters.length === 2) {
    if (isStringLike(first!)) return 'userId';
    return says(first!) && context && !checker.isTypeAssignableTo(context, first!) ? 'foreign' : 'context';
  }
  if (parameters.length !== 3) return undefined;
  const takesUserId = !says(first!) || checker.isTypeAssignableTo(checker.getStringType(), first!);
  return takesUserId && !(says(second!) && isStringLike(second!)) ? 'socket' : 'foreign';
}

/** A handler as written: its declared parameter count and their types (a function, or an object's handle). */
interface WrittenHandler {
  object: boolean;
  parameters: ts.Type[];
}

function writtenHandler(checker: ts.TypeChecker, handler: ts.Expression): WrittenHandler | undefined {
  if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
    if (handler.parameters.some((p) => p.dotDotDotToken)) return undefined;
    return { object: false, parameters: handler.parameters.map((p) => checker.getTypeAtLocation(p)) };
  }
  const type = checker.getTypeAtLocation(handler);
  const own = type.getCallSignatures();
  const handle = own.length === 0 ? type.getProperty('handle') : undefined;
  const signatures = handle ? checker.getTypeOfSymbolAtLocation(handle, handler).getCallSignatures() : own;
  if (signatures.length !== 1) return undefined;
  const sig = signatures[0]!;
  const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (decl?.parameters?.some((p) => p.dotDotDotToken)) return undefined;
  return {
    object: Boolean(handle),
    parameters: sig.parameters.map((p) => checker.getTypeOfSymbolAtLocation(p, handler)),
  };
}

/**
 * The shape the legacy method's own handler type gives a handler of `n` parameters (TypeScript lets
 * a handler declare fewer parameters than the type: the legacy router still passed them in order).
 */
function legacySignature(
  checker: ts.TypeChecker,
  call: ts.CallExpression,
  index: number,
  object: boolean,
  n: number,
): ts.Signature | undefined {
  const declared = checker.getResolvedSignature(call)?.getParameters()[index];
  if (!declared) return undefined;
  const type = checker.getTypeOfSymbolAtLocation(declared, call);
  const members = type.isUnion() ? type.types : [type];
  const signatures = members.flatMap((t) => {
    if (!object) return t.getCallSignatures();
    const handle = t.getProperty('handle');
    return handle ? checker.getTypeOfSymbolAtLocation(handle, call).getCallSignatures() : [];
  });
  // The signature a handler of n parameters is checked against: the shortest that takes n.
  const fitting = signatures.filter(
    (sg) => sg.parameters.length >= n && !sg.getDeclaration()?.parameters?.some((p) => p.dotDotDotToken),
  );
  fitting.sort((a, b) => a.parameters.length - b.parameters.length);
  return fitting[0];
}

function inspect(
  sf: ts.SourceFile,
  checker: ts.TypeChecker,
  legacyOf: (symbol: ts.Symbol | undefined) => Legacy | undefined,
): { edits: TextEdit[]; refused: FitRefusal[] } {
  const edits: TextEdit[] = [];
  const refused: FitRefusal[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) checkCall(node);
    ts.forEachChild(node, visit);
  };
  const checkCall = (call: ts.CallExpression): void => {
    const callee = call.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
    if (!name) return;
    const legacy = legacyOf(checker.getSymbolAtLocation(name));
    if (!legacy) return;
    // Only what this run moves to the compat layer changes: a class (or function) whose name the
    // legacy module's mapping sends nowhere stays on its own implementation.
    const owner = ts.isPropertyAccessExpression(callee)
      ? checker.getTypeAtLocation(callee.expression).getSymbol()
      : checker.getSymbolAtLocation(name);
    const ownerModule = legacyOf(owner);
    const ownerName = owner && (owner.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(owner) : owner).getName();
    if (!ownerName || !ownerModule || !mapLegacyName(ownerModule.concept, ownerModule.module, ownerName)) return;
    const method = name.text;
    if (ts.isPropertyAccessExpression(callee) && REGISTRATIONS.has(method)) checkRegistration(call, method, legacy);
    if (resultIsUsed(call)) checkResult(call, legacy, method, ts.isPropertyAccessExpression(callee));
  };
  const checkRegistration = (call: ts.CallExpression, method: string, legacy: Legacy): void => {
    const index = call.arguments.length >= 2 ? 1 : 0;
    const handler = call.arguments[index];
    if (!handler) return;
    const written = writtenHandler(checker, handler);
    if (!written || written.parameters.length === 0) return;
    const n = written.parameters.length;
    // What the legacy router passed, from its own handler type; else what the handler says it takes.
    const declared = legacySignature(checker, call, index, written.object, n);
    const declaredTypes = declared?.parameters.map((p) => checker.getTypeOfSymbolAtLocation(p, call));
    const shape =
      (declaredTypes && shapeOfParameters(checker, declaredTypes, legacy.context)) ??
      shapeOfParameters(checker, written.parameters, legacy.context) ??
      compatShape(n);
    const what = written.object ? "handler object's handle" : 'handler';
    if (shape === 'foreign') {
      const types = (declaredTypes ?? written.parameters).map((t) => checker.typeToString(t));
      refused.push({
        ...position(sf, handler),
        reason:
          `${method}(): the legacy router called this ${what} with (${types.join(', ')}); the compat layer ` +
          `calls a handler with (message), (ctx, message) or (userId, socket, message): rewrite it by hand`,
      });
      return;
    }
    if (shape === compatShape(n)) return;
    if (shape === 'userId' && !written.object && n <= 2) {
      edits.push(
        { start: handler.getStart(sf), end: handler.getStart(sf), text: `${ADAPTER}(` },
        { start: handler.end, end: handler.end, text: ')' },
      );
      return;
    }
    const said = {
      message: '(message)',
      context: '(ctx, message)',
      userId: '(userId, message)',
      socket: '(userId, socket, message)',
    };
    if (shape === 'userId') {
      refused.push({
        ...position(sf, handler),
        reason:
          `${method}(): the legacy router called this handler object's handle as (userId, message); on ` +
          `the compat layer handle(ctx, message) reads the user id as ctx.userId: rewrite it by hand`,
      });
      return;
    }
    refused.push({
      ...position(sf, handler),
      reason:
        `${method}(): the legacy router called this ${what} as ${said[shape]}, but it declares ${n} parameter(s), ` +
        `so the compat layer would call it as ${said[compatShape(n)]}; declare ${said[shape]} by hand`,
    });
  };
  // Where the legacy method returned a primitive, code may test, compare or add the result: an
  // object or a promise in its place compiles there and changes what the code does. Other changes
  // of the result type surface as type errors in step 3.
  const checkResult = (call: ts.CallExpression, legacy: Legacy, method: string, isMethod: boolean): void => {
    const compatType = compatReturnType(checker, legacy, method, isMethod);
    if (!compatType) return;
    // Awaited, the code reads what the promises resolve to.
    const awaited = ts.isAwaitExpression(outsideParentheses(call.parent));
    const legacyType = awaited
      ? (checker.getAwaitedType(checker.getTypeAtLocation(call)) ?? checker.getTypeAtLocation(call))
      : checker.getTypeAtLocation(call);
    const newType = awaited ? (checker.getAwaitedType(compatType) ?? compatType) : compatType;
    if (!isPrimitive(legacyType) || checker.isTypeAssignableTo(newType, legacyType)) return;
    refused.push({
      ...position(sf, call),
      reason:
        `${method}() ${awaited ? 'resolves to' : 'returns'} ` +
        `${checker.typeToString(newType)} on the compat layer where the legacy code got ` +
        `${checker.typeToString(legacyType)}, and the result is used here`,
    });
  };
  visit(sf);
  return { edits, refused };
}

/** What the compat layer's method (or function) of that name returns, from its declarations. */
function compatReturnType(
  checker: ts.TypeChecker,
  legacy: Legacy,
  method: string,
  isMethod: boolean,
): ts.Type | undefined {
  const compat = legacy.compat;
  if (!compat) return undefined;
  const moduleSymbol = checker.getSymbolAtLocation(compat);
  if (!moduleSymbol) return undefined;
  const exports = checker.getExportsOfModule(moduleSymbol);
  let signatures: readonly ts.Signature[] = [];
  if (isMethod) {
    // Every compat class shares the legacy methods; MessageRouter has them all.
    const cls = exports.find((e) => e.name === 'MessageRouter');
    if (!cls) return undefined;
    const instance = checker.getDeclaredTypeOfSymbol(cls);
    const member = instance.getProperty(method);
    if (!member) return undefined;
    signatures = checker.getTypeOfSymbol(member).getCallSignatures();
  } else {
    const target = mapLegacyName(legacy.concept, legacy.module, method)?.name;
    if (!target) return undefined;
    const fn = exports.find((e) => e.name === target);
    if (!fn) return undefined;
    signatures = checker.getTypeOfSymbol(fn).getCallSignatures();
  }
  const first = signatures[0];
  return first ? checker.getReturnTypeOfSignature(first) : undefined;
}

// ---- writing the adapter ----------------------------------------------------------------------------

/**
 * The import rewrite of the text with the adapters inserted, and the adapter imported next to the
 * names the rewrite moved to the compat layer (a named import gains it; through a namespace it is
 * `ns.userIdHandler`). Refused when neither form is there to extend.
 */
function withAdapter(
  mctx: MigrationContext,
  item: FitItem,
  edits: TextEdit[],
  options: PlanOptions,
): { output: string } | { refused: FitRefusal } {
  const output0 = item.migration.output!;
  const host = compatImportIn(mctx, item.file, output0);
  const where = {};
  if (!host) return { refused: { ...where, reason: `no value import of the compat layer to import ${ADAPTER} from` } };
  if (new RegExp(`\\b${ADAPTER}\\b`).test(item.text))
    return { refused: { ...where, reason: `the file already uses the name ${ADAPTER}` } };
  const name = host.kind === 'namespace' ? `${host.local}.${ADAPTER}` : ADAPTER;
  const adapted = applyEdits(
    item.text,
    edits.map((e) => (e.text === `${ADAPTER}(` ? { ...e, text: `${name}(` } : e)),
  );
  const migrated = migrateText(mctx, item.file, adapted, options);
  if (migrated.status !== 'changed' || migrated.output === undefined)
    return {
      refused: {
        ...where,
        reason: `the import rewrite failed after inserting ${ADAPTER}: ${migrated.error ?? migrated.status}`,
      },
    };
  if (host.kind === 'namespace') return { output: migrated.output };
  const again = compatImportIn(mctx, item.file, migrated.output);
  if (!again || again.kind !== 'named')
    return { refused: { ...where, reason: `cannot find the compat import to add ${ADAPTER} to` } };
  return {
    output: applyEdits(migrated.output, [{ start: again.insertAt, end: again.insertAt, text: `, ${ADAPTER}` }]),
  };
}

type CompatImport = { kind: 'named'; insertAt: number } | { kind: 'namespace'; local: string };

/** The first value import (named or namespace) of a compat layer in `text`, as the core classifies it. */
function compatImportIn(mctx: MigrationContext, file: string, text: string): CompatImport | undefined {
  const analysis = analyzeFile(mctx.ctx, file, text, { skipDuplicates: true });
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  for (const site of analysis.sites) {
    if (site.target.kind !== 'canonical' || !site.target.compat || site.form !== 'import' || site.typeOnly) continue;
    const decl = sf.statements.find((s) => s.getStart(sf) === site.nodeStart && ts.isImportDeclaration(s)) as
      ts.ImportDeclaration | undefined;
    const bindings = decl?.importClause?.namedBindings;
    if (!bindings) continue;
    if (ts.isNamespaceImport(bindings)) return { kind: 'namespace', local: bindings.name.text };
    const last = bindings.elements[bindings.elements.length - 1];
    if (last) return { kind: 'named', insertAt: last.end };
  }
  return undefined;
}
