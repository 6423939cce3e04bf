import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from './typescript.cjs';
import { parseFile } from './parse.js';
import { unwrapExpression, walkAst } from './walk.js';
import type { ModuleResolver } from './resolve.js';

/**
 * Which declaration does a name refer to, across files? Asked only where one file's syntax cannot
 * tell: is the class this one extends the canonical one, imported through an alias, a barrel's
 * `export *` or a chain of re-exports? Is the property a stored item's type declares elsewhere a
 * function or a method? The answer comes from the TypeScript checker, run on a program of just
 * the files involved: the asking file and the modules its import passes through, found first by
 * following the import and re-export statements (module resolution as everywhere in the core).
 * No program of the whole project is ever built.
 */

export interface DeclarationRef {
  /** Absolute path of the declaring file. */
  file: string;
  /** The declared name there (`default` for an anonymous default export). */
  name: string;
}

const MAX_CHAIN = 12;

interface CachedFile {
  mtimeMs: number;
  size: number;
  sf: ts.SourceFile;
}

export class SymbolResolver {
  private readonly files = new Map<string, CachedFile>();
  private log: Set<string> | undefined;

  constructor(private readonly resolver: ModuleResolver) {}

  /** Starts recording the files read (an analysis of one file depends on them: the cache checks them). */
  startLog(): void {
    this.log = new Set();
  }

  /** The files read since startLog(), and stops recording. */
  stopLog(): string[] {
    const files = [...(this.log ?? [])].sort();
    this.log = undefined;
    return files;
  }

  /**
   * A parsed file, re-read when it changed on disk (editors keep one resolver for long). JSDoc is
   * left unparsed: what is read here (statements, declarations, their code) never looks into it.
   */
  source(file: string): ts.SourceFile | undefined {
    this.log?.add(file);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return undefined;
    }
    const cached = this.files.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.sf;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const sf = parseFile(file, text, { skipJsDoc: true }).sourceFile;
    this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, sf });
    return sf;
  }

  private resolve(specifier: string, fromFile: string): string | undefined {
    const r = this.resolver.resolve(specifier, fromFile, 'import');
    return r.kind === 'file' && !r.isExternalLibrary ? r.path : undefined;
  }

  /**
   * Follows `importedName` of `specifier` (as imported by `fromFile`) to its declaration, through
   * `export { a as b } from`, `export * from` and `import { a } ...; export { a }`. Returns the
   * declaration and the files the chain went through, or undefined when it leaves the project
   * (a package without sources) or does not resolve.
   */
  chase(
    fromFile: string,
    specifier: string,
    importedName: string,
  ): { declaration: DeclarationRef; files: string[] } | undefined {
    const target = this.resolve(specifier, fromFile);
    if (!target) return undefined;
    const files = new Set<string>([fromFile]);
    const found = this.findExport(target, importedName, files, 0);
    return found ? { declaration: found, files: [...files] } : undefined;
  }

  /**
   * The declaration `file` exports as `name` (itself or through re-exports, as `chase`): for a
   * module already resolved, such as the file an import site resolved to.
   */
  exportedDeclaration(file: string, name: string): { declaration: DeclarationRef; files: string[] } | undefined {
    const files = new Set<string>();
    const found = this.findExport(path.resolve(file), name, files, 0);
    return found ? { declaration: found, files: [...files] } : undefined;
  }

  private findExport(file: string, name: string, files: Set<string>, depth: number): DeclarationRef | undefined {
    if (depth > MAX_CHAIN) return undefined;
    const sf = this.source(file);
    if (!sf) return undefined;
    files.add(file);
    const starTargets: string[] = [];
    for (const st of sf.statements) {
      if (ts.isExportDeclaration(st)) {
        const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        const clause = st.exportClause;
        if (!clause) {
          if (spec) starTargets.push(spec);
          continue;
        }
        if (ts.isNamedExports(clause)) {
          for (const el of clause.elements) {
            if (el.name.text !== name) continue;
            const local = (el.propertyName ?? el.name).text;
            if (spec) {
              const next = this.resolve(spec, file);
              return next ? this.findExport(next, local, files, depth + 1) : undefined;
            }
            return this.localOrImported(sf, local, files, depth);
          }
        }
        continue;
      }
      if (name === 'default' && ts.isExportAssignment(st) && !st.isExportEquals) {
        // `export default local;` is the local's declaration; `export default <expression>` is its own.
        const e = unwrapExpression(st.expression);
        return ts.isIdentifier(e) ? this.localOrImported(sf, e.text, files, depth) : { file, name: 'default' };
      }
      if (declaresExported(st, name))
        return { file, name: name === 'default' ? (declaredName(st) ?? 'default') : name };
    }
    for (const spec of starTargets) {
      const next = this.resolve(spec, file);
      if (!next) continue;
      const found = this.findExport(next, name, files, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** `export { local }`: a declaration of this file, or a name it imported (followed further). */
  private localOrImported(
    sf: ts.SourceFile,
    local: string,
    files: Set<string>,
    depth: number,
  ): DeclarationRef | undefined {
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && st.importClause && ts.isStringLiteral(st.moduleSpecifier)) {
        const clause = st.importClause;
        const next = (): string | undefined => this.resolve((st.moduleSpecifier as ts.StringLiteral).text, sf.fileName);
        if (clause.name?.text === local) {
          const n = next();
          return n ? this.findExport(n, 'default', files, depth + 1) : undefined;
        }
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) {
            if (el.name.text !== local) continue;
            const n = next();
            return n ? this.findExport(n, (el.propertyName ?? el.name).text, files, depth + 1) : undefined;
          }
        }
      }
      if (declaredName(st) === local || declaresVariable(st, local)) return { file: sf.fileName, name: local };
    }
    return undefined;
  }

  /**
   * The declaration the checker finds for the identifier or property access at `position` of
   * `fromFile`, on a program of `files` only (no lib, no other file: imports that leave the set
   * stay unresolved, which is all right for the question asked).
   */
  checkerDeclaration(from: ts.SourceFile, files: readonly string[], position: number): DeclarationRef | undefined {
    return withoutOverflow(() => this.checkerDeclarationOf(from, files, position));
  }

  private checkerDeclarationOf(
    from: ts.SourceFile,
    files: readonly string[],
    position: number,
  ): DeclarationRef | undefined {
    const program = this.program(from, files);
    const sf = program.getSourceFile(from.fileName);
    if (!sf) return undefined;
    const node = nodeAt(sf, position);
    if (!node) return undefined;
    const checker = program.getTypeChecker();
    let symbol = checker.getSymbolAtLocation(node);
    if (!symbol) return undefined;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol.declarations?.[0];
    if (!decl) return undefined;
    return {
      file: path.resolve(decl.getSourceFile().fileName),
      name: symbol.name === 'default' ? (declaredName(decl) ?? 'default') : symbol.name,
    };
  }

  /**
   * For `item.property(...)` where the item's type is declared in another file: 'function' when
   * the checker sees a property holding a function, 'method' for a method.
   */
  checkerPropertyKind(
    from: ts.SourceFile,
    files: readonly string[],
    typePosition: number,
    property: string,
  ): 'function' | 'method' | undefined {
    return withoutOverflow(() => this.checkerPropertyKindOf(from, files, typePosition, property));
  }

  private checkerPropertyKindOf(
    from: ts.SourceFile,
    files: readonly string[],
    typePosition: number,
    property: string,
  ): 'function' | 'method' | undefined {
    const program = this.program(from, files);
    const sf = program.getSourceFile(from.fileName);
    if (!sf) return undefined;
    const node = nodeAt(sf, typePosition);
    if (!node) return undefined;
    const checker = program.getTypeChecker();
    const type = checker.getTypeAtLocation(node);
    const prop = type.getProperty(property);
    if (!prop) return undefined;
    // An instance of a class is an object with behaviour: its function-valued properties are its methods.
    if (prop.flags & ts.SymbolFlags.Method || (type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class) return 'method';
    if (prop.flags & ts.SymbolFlags.Property) {
      const propType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, node));
      return propType.getCallSignatures().length > 0 ? 'function' : undefined;
    }
    return undefined;
  }

  /** A program of `files` only; the asking file as the caller has it (an editor's unsaved text). */
  private program(from: ts.SourceFile, files: readonly string[]): ts.Program {
    const options: ts.CompilerOptions = {
      noResolve: true,
      noLib: true,
      types: [],
      allowJs: true,
      checkJs: false,
      skipLibCheck: true,
      target: ts.ScriptTarget.Latest,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      experimentalDecorators: true,
    };
    const host = ts.createCompilerHost(options, true);
    // JSDoc is parsed where it can carry types (JS files) and left alone in TypeScript files, where
    // the checker does not read it.
    const parseOptions: ts.CreateSourceFileOptions = {
      languageVersion: ts.ScriptTarget.Latest,
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
    };
    host.getSourceFile = (fileName) => {
      const abs = path.resolve(fileName);
      if (abs === path.resolve(from.fileName)) return ts.createSourceFile(fileName, from.text, parseOptions, true);
      const sf = this.source(abs);
      // A fresh parse per program: a program binds its files, which must not leak into the cache.
      return sf ? ts.createSourceFile(fileName, sf.text, parseOptions, true) : undefined;
    };
    host.resolveModuleNameLiterals = (literals, containingFile) =>
      literals.map((lit) => {
        const resolved = this.resolve(lit.text, path.resolve(containingFile));
        return {
          resolvedModule: resolved
            ? { resolvedFileName: resolved, extension: extensionOf(resolved), isExternalLibraryImport: false }
            : undefined,
        };
      });
    return ts.createProgram({ rootNames: [...new Set([from.fileName, ...files])], options, host });
  }
}

/**
 * The checker walks recursively: on a file nested deeper than the call stack allows (a 10,000-term
 * `'a' + 'a' + ...`) it overflows. Then it has no answer, as for a module it cannot see.
 */
function withoutOverflow<T>(ask: () => T | undefined): T | undefined {
  try {
    return ask();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function extensionOf(file: string): ts.Extension {
  const ext = file.endsWith('.d.ts') ? '.d.ts' : path.extname(file);
  const known: Record<string, ts.Extension> = {
    '.ts': ts.Extension.Ts,
    '.tsx': ts.Extension.Tsx,
    '.d.ts': ts.Extension.Dts,
    '.js': ts.Extension.Js,
    '.jsx': ts.Extension.Jsx,
    '.mts': ts.Extension.Mts,
    '.cts': ts.Extension.Cts,
    '.mjs': ts.Extension.Mjs,
    '.cjs': ts.Extension.Cjs,
  };
  return known[ext] ?? ts.Extension.Ts;
}

/** The innermost identifier (or private name) that starts at `position`. */
function nodeAt(sf: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  walkAst(sf, (n) => {
    if (position < n.getStart(sf) || position >= n.end) return false;
    if ((ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) && n.getStart(sf) === position) found = n;
    return true;
  });
  return found;
}

function hasExport(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false)
  );
}

function hasDefault(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false)
  );
}

/** The name a top-level statement declares (class, function, interface, type, enum, first variable). */
export function declaredName(node: ts.Node): string | undefined {
  if (
    (ts.isClassDeclaration(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node)) &&
    node.name
  ) {
    return node.name.text;
  }
  if (ts.isVariableStatement(node)) {
    const d = node.declarationList.declarations[0];
    return d && ts.isIdentifier(d.name) ? d.name.text : undefined;
  }
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  return undefined;
}

/** True when a variable statement declares `name` (in any of its declarations: `const a = 1, b = 2`). */
function declaresVariable(st: ts.Statement, name: string): boolean {
  return (
    ts.isVariableStatement(st) &&
    st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)
  );
}

/** True when a top-level statement exports `name` itself (`export class X`, `export default class`). */
function declaresExported(st: ts.Statement, name: string): boolean {
  if (!hasExport(st)) return false;
  if (name === 'default') return hasDefault(st);
  if (ts.isVariableStatement(st)) return declaresVariable(st, name);
  return declaredName(st) === name && !hasDefault(st);
}
