import ts from '../core/typescript.cjs';

/**
 * `--typecheck` without checking: a proof that a rewritten file type-checks exactly as its original
 * did, from the two texts and the bindings of their imports. The check this replaces takes a
 * file's diagnostics after the rewrite and, where there are any, its original's beside it (one
 * program holding both texts, typecheck.ts). Checking a file makes the checker work out the types
 * of much of what it imports, so on a real repository (vscode-js-debug: 113 rewritten files) the
 * check costs nearly a whole `tsc --noEmit`. The proof costs the resolution of the moved imports.
 *
 * Why it holds. The checker's view of a file depends on a module specifier only through:
 * 1. the token stream of the file: the two texts are equal outside the specifiers of import and
 *    export declarations, and a string literal's value never steers the parser, so both parse
 *    to the same tree but for those literals' values;
 * 2. what each declaration binds: every name it declares (default, namespace, named, re-exported)
 *    resolves to the same symbol (`getAliasedSymbol`, identity in one checker), a real one, and
 *    type-only-ness along the alias chain is the same (TypeScript's own `getTypeOnlyAliasDeclaration`,
 *    which also sees `export type *`); a declaration that binds nothing (`import 'x'`, `export *`)
 *    must name the very same module symbol; two different modules count as one only when they are
 *    the sites' own module symbols and one is nothing but `export * from` the other (a namespace
 *    import may bind a copy of a module with a synthetic `default` instead: sameExports);
 * 3. the checks TypeScript makes on the specifier text itself (`resolveExternalModule`,
 *    `checkExternalImportOrExportDeclaration`, `checkImportDeclaration`, read in 6.0.3): the
 *    `@types/` prefix, TypeScript and `.d.ts` extensions (TS2846, TS5097, TS2876, TS2877), JSON
 *    imports (TS1543), untyped JavaScript modules (TS7016), relative names in ambient modules
 *    (TS2439), CommonJS importing an ES module (TS1479). Each is ruled out: no such extension in
 *    either text, a resolved file is a TypeScript one of the same extension and module format on
 *    both sides (impliedNodeFormat, and the format for emit that interop follows, which under
 *    bundler resolution takes a package's "type"), the declaration is at the top level of a module.
 * The copy of the original sits beside the file in the same program (same folder, so the same
 * resolution and module format), and it must add nothing global: a module without `declare
 * global`, `declare module` or `export as namespace`. JavaScript files are left to the check (their messages quote the
 * specifier). Anything the proof cannot show sends the file to the check: it never decides that
 * a file is broken, only that it is unchanged.
 *
 * Like the check, the proof judges the original text in a program that also holds what the new
 * specifiers bring in: global declarations of a newly reached file count as if always there
 * (docs/codemods.md, "What both ways share").
 *
 * What the proof does not reproduce: an error both texts have whose message quotes the module's
 * name (`Module '"node:path"' resolves to a non-module entity`, `typeof import(".../index")`) is
 * the same error before and after here; the check, which compares messages, would call the
 * renamed one new.
 */
export function whyNotProvenAlike(
  program: ts.Program,
  checker: ts.TypeChecker,
  rewritten: ts.SourceFile,
  original: ts.SourceFile,
  resolutionOf: (file: ts.SourceFile, literal: ts.StringLiteral) => ts.ResolvedModuleFull | undefined | 'unknown',
): string | undefined {
  if (/\.[cm]?jsx?$/i.test(rewritten.fileName)) return 'a JavaScript file';
  const typeOnlyOf = (checker as TypeOnlyQuery).getTypeOnlyAliasDeclaration;
  if (typeof typeOnlyOf !== 'function') return 'this TypeScript has no getTypeOnlyAliasDeclaration';
  if (program.getSyntacticDiagnostics(rewritten).length > 0 || program.getSyntacticDiagnostics(original).length > 0)
    return 'a syntax error';
  if (!ts.isExternalModule(original)) return 'not a module';
  if (addsGlobals(original)) return 'declares globals or augments a module';
  const before = sitesOf(original);
  const after = sitesOf(rewritten);
  if (!onlySpecifiersDiffer(original, before, rewritten, after)) return 'more changed than top-level specifiers';
  const options = program.getCompilerOptions();
  for (let i = 0; i < before.length; i++) {
    const a = before[i]!;
    const b = after[i]!;
    if (a.literal.text === b.literal.text) continue;
    const at = `'${a.literal.text}' -> '${b.literal.text}'`;
    if (!specifierTextsAlike(a.literal.text, b.literal.text)) return `${at}: a specifier TypeScript checks as text`;
    if (!resolvedAlike(program, options, resolutionOf(original, a.literal), resolutionOf(rewritten, b.literal)))
      return `${at}: resolved unlike`;
    const moduleA = checker.getSymbolAtLocation(a.literal);
    const moduleB = checker.getSymbolAtLocation(b.literal);
    if (!moduleA || !moduleB) return `${at}: no module`;
    const namesA = boundNames(a.declaration);
    const namesB = boundNames(b.declaration);
    // A declaration that binds nothing (`import 'x'`, `export * from 'x'`) is alike only for the
    // same module or one that is the other's exports.
    if (namesA.length === 0 && !sameExports(checker, moduleA, moduleB))
      return `${at}: binds nothing, and names another module`;
    if (namesA.length !== namesB.length) return `${at}: binds other names`;
    for (let n = 0; n < namesA.length; n++) {
      const why = whyBoundUnlike(
        checker,
        typeOnlyOf.bind(checker),
        [moduleA, moduleB],
        namesA[n]!,
        a.declaration,
        namesB[n]!,
        b.declaration,
      );
      if (why) return `${at}: ${why}`;
    }
  }
  return undefined;
}

/** The checker's own answer to "which declaration makes this alias type-only" (internal in 6.0.3). */
interface TypeOnlyQuery {
  getTypeOnlyAliasDeclaration?: (symbol: ts.Symbol) => ts.Node | undefined;
}

/** An import or export declaration at a module's top level that names a module. */
interface Site {
  declaration: ts.ImportDeclaration | ts.ExportDeclaration;
  literal: ts.StringLiteral;
}

function sitesOf(sf: ts.SourceFile): Site[] {
  const sites: Site[] = [];
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const literal = statement.moduleSpecifier;
    if (literal && ts.isStringLiteral(literal)) sites.push({ declaration: statement, literal });
  }
  return sites;
}

/**
 * The texts are equal outside the top-level specifiers: every other difference (a nested
 * declaration, a renamed identifier, a comment) leaves a gap unequal.
 */
function onlySpecifiersDiffer(a: ts.SourceFile, sitesA: Site[], b: ts.SourceFile, sitesB: Site[]): boolean {
  if (sitesA.length !== sitesB.length) return false;
  let fromA = 0;
  let fromB = 0;
  for (let i = 0; i < sitesA.length; i++) {
    const la = sitesA[i]!.literal;
    const lb = sitesB[i]!.literal;
    if (a.text.slice(fromA, la.getStart(a)) !== b.text.slice(fromB, lb.getStart(b))) return false;
    fromA = la.end;
    fromB = lb.end;
  }
  return a.text.slice(fromA) === b.text.slice(fromB);
}

/**
 * `declare global { }`, `declare module 'x' { }` or `export as namespace X`: a copy with one would
 * add its declarations twice.
 */
function addsGlobals(sf: ts.SourceFile): boolean {
  return sf.statements.some(
    (s) =>
      ts.isNamespaceExportDeclaration(s) ||
      (ts.isModuleDeclaration(s) && (ts.isStringLiteral(s.name) || s.name.text === 'global')),
  );
}

/** Specifier texts TypeScript looks at beyond their resolution: see point 3 above. */
function specifierTextsAlike(a: string, b: string): boolean {
  const plain = (t: string): boolean => !t.startsWith('@types/') && !/\.([cm]?tsx?|json)$/i.test(t);
  return plain(a) && plain(b);
}

const TYPESCRIPT_EXTENSIONS = new Set<string>([
  ts.Extension.Ts,
  ts.Extension.Dts,
  ts.Extension.Mts,
  ts.Extension.Dmts,
  ts.Extension.Cts,
  ts.Extension.Dcts,
]);

/**
 * Both specifiers fail to resolve to a file (an ambient module answers for both: checked by the
 * caller), or both resolve to TypeScript files of one extension and one module format, found
 * without a TypeScript extension in the text.
 */
function resolvedAlike(
  program: ts.Program,
  options: ts.CompilerOptions,
  a: ts.ResolvedModuleFull | undefined | 'unknown',
  b: ts.ResolvedModuleFull | undefined | 'unknown',
): boolean {
  if (a === 'unknown' || b === 'unknown') return false;
  if (!a || !b) return !a && !b;
  if (a.extension !== b.extension || a.resolvedUsingTsExtension || b.resolvedUsingTsExtension) return false;
  if (!TYPESCRIPT_EXTENSIONS.has(a.extension) && !(a.extension === ts.Extension.Tsx && options.jsx !== undefined))
    return false;
  const fileA = program.getSourceFile(a.resolvedFileName);
  const fileB = program.getSourceFile(b.resolvedFileName);
  if (!fileA || !fileB || fileA.impliedNodeFormat !== fileB.impliedNodeFormat) return false;
  // The format the checker's interop rules go by (resolveESModuleSymbol, canHaveSyntheticDefault):
  // under bundler resolution it follows the package's "type" where impliedNodeFormat does not.
  const formatForEmit = (ts as unknown as FormatForEmit).getImpliedNodeFormatForEmitWorker;
  if (typeof formatForEmit !== 'function') return false;
  return formatForEmit(fileA, options) === formatForEmit(fileB, options);
}

/** TypeScript's module format of a file for emit and interop (internal in 6.0.3). */
interface FormatForEmit {
  getImpliedNodeFormatForEmitWorker?: (file: ts.SourceFile, options: ts.CompilerOptions) => ts.ResolutionMode;
}

/** The declarations a site binds, in source order: its import clause's names or its export clause's. */
function boundNames(declaration: ts.ImportDeclaration | ts.ExportDeclaration): ts.Declaration[] {
  if (ts.isImportDeclaration(declaration)) {
    const clause = declaration.importClause;
    if (!clause) return [];
    const names: ts.Declaration[] = [];
    if (clause.name) names.push(clause);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings);
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements);
    return names;
  }
  const clause = declaration.exportClause;
  if (!clause) return [];
  return ts.isNamespaceExport(clause) ? [clause] : [...clause.elements];
}

function whyBoundUnlike(
  checker: ts.TypeChecker,
  typeOnlyOf: (symbol: ts.Symbol) => ts.Node | undefined,
  /** The module symbols the two sites' specifiers name. */
  [moduleA, moduleB]: [ts.Symbol, ts.Symbol],
  a: ts.Declaration,
  siteA: ts.Node,
  b: ts.Declaration,
  siteB: ts.Node,
): string | undefined {
  // The binder's symbol of the declaration: its local alias (an export specifier's name would
  // give the checker's target instead, through getSymbolAtLocation).
  const aliasA = (a as { symbol?: ts.Symbol }).symbol;
  const aliasB = (b as { symbol?: ts.Symbol }).symbol;
  if (!aliasA || !aliasB || !(aliasA.flags & ts.SymbolFlags.Alias) || !(aliasB.flags & ts.SymbolFlags.Alias))
    return 'no alias';
  const name = aliasA.name;
  const target = checker.getAliasedSymbol(aliasA);
  // unknownSymbol (an unresolved name) has no declarations: two failures are not alike.
  if (!target.declarations?.length) return `'${name}' resolves to nothing`;
  const targetB = checker.getAliasedSymbol(aliasB);
  // Two modules one of which is only `export *` of the other: only as the sites' own module
  // symbols. A namespace import may bind a copy instead, with a synthetic `default` among its
  // members (resolveESModuleSymbol: esModuleInterop, or an ES module importing a CommonJS one by
  // its package's "type"), and the copy of one module has members the other has not.
  if (target !== targetB && (target !== moduleA || targetB !== moduleB || !sameExports(checker, moduleA, moduleB)))
    return `'${name}' binds another symbol`;
  const onlyA = typeOnlyOf(aliasA);
  const onlyB = typeOnlyOf(aliasB);
  if (onlyA === onlyB) return undefined;
  // `import type` or `export type` at the site itself: the same declaration in each text.
  if (onlyA !== undefined && onlyB !== undefined && withinSite(onlyA, siteA) && withinSite(onlyB, siteB))
    return undefined;
  return `'${name}' is type-only on one side`;
}

/**
 * The same symbol, or two modules one of which is only `export * from` the other (`declare module
 * 'node:fs' { export * from 'fs'; }` in @types/node): a namespace of either has the same members,
 * the very same symbols, as long as the other has no `default` and no `export =`, which `export *`
 * leaves out. Type-only-ness travels along `export *` (TypeScript's typeOnlyExportStarMap), so
 * it is the same on both sides too.
 */
function sameExports(checker: ts.TypeChecker, a: ts.Symbol, b: ts.Symbol): boolean {
  return a === b || onlyReexports(checker, a, b) || onlyReexports(checker, b, a);
}

/** `outer`'s one declaration holds one statement, `export * from` a module that is `inner`. */
function onlyReexports(checker: ts.TypeChecker, outer: ts.Symbol, inner: ts.Symbol): boolean {
  if (!(outer.flags & ts.SymbolFlags.ValueModule) || !(inner.flags & ts.SymbolFlags.ValueModule)) return false;
  if (outer.declarations?.length !== 1) return false;
  const declaration = outer.declarations[0]!;
  const statements = ts.isSourceFile(declaration)
    ? declaration.statements
    : ts.isModuleDeclaration(declaration) && declaration.body && ts.isModuleBlock(declaration.body)
      ? declaration.body.statements
      : undefined;
  if (statements?.length !== 1) return false;
  const only = statements[0]!;
  if (!ts.isExportDeclaration(only) || only.exportClause || only.isTypeOnly || !only.moduleSpecifier) return false;
  if (checker.getSymbolAtLocation(only.moduleSpecifier) !== inner) return false;
  return !inner.exports?.has('export=' as ts.__String) && !inner.exports?.has('default' as ts.__String);
}

function withinSite(node: ts.Node, site: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === site) return true;
  return false;
}
