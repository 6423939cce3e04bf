// The judge of the differential harness: what a migration of one file must write, computed
// independently of ssot-kit (the TypeScript compiler API and the config file only; of ssot-kit it
// reads the message-router preset's name table, plain data). The expected output is the original
// text with the legacy specifier literals replaced, plus the split rules of docs/codemods.md
// ("The rule of least change"):
//
//   - an import / re-export / require / import() / import type / mock whose names all map moves
//     whole: its specifier literal is replaced (and a name that maps to another name is spelled
//     `Mapped as local`); nothing else of the statement changes;
//   - one whose names partly map is split: the names that stay keep the statement, the moved ones
//     get a new statement of the same form (`import type` stays, quotes, semicolon) right after it,
//     on its own line with the original's indentation;
//   - a namespace import used for concept and other members is split: a named import of the
//     concept members after it, `ns.X` becomes `X`;
//   - whole-module forms whose names cannot be traced (`export *`, a namespace object used as a
//     value) move only when every export of the legacy module maps to itself;
//   - an import of an exported instance of a legacy class (`export const r = new MessageRouter()`,
//     `export default new MessageRouter()`, `export const r: MessageRouter = ...`, docs/report.md)
//     is refused whole: named, default, re-exported or a namespace member; the target has no such name;
//   - nothing else changes: a site with no concept name stays, a file that does not parse or whose
//     rewrite would import itself is left alone.
//
// What the judge does not model, it says so (`unjudged` with the reason) instead of guessing:
// --rename, --merge-imports, `pattern`/`importNames`/`allowTypeImports` legacy entries.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// require(), not an ESM import: Node would first scan all of typescript.js for its CommonJS exports.
const ts = createRequire(import.meta.url)('typescript');

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const MOCK_CALLEES = new Set([
  'jest.mock',
  'jest.unmock',
  'jest.doMock',
  'jest.dontMock',
  'jest.setMock',
  'jest.requireActual',
  'jest.requireMock',
  'jest.createMockFromModule',
  'vi.mock',
  'vi.unmock',
  'vi.doMock',
  'vi.doUnmock',
  'vi.importActual',
  'vi.importMock',
]);

const stripExt = (p) => p.replace(/\.d\.(c|m)?ts$/, '').replace(/\.(c|m)?(t|j)sx?$/, '');
const posix = (p) => p.split(path.sep).join('/');
const inside = (file, dir) => file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

function scriptKind(file) {
  const ext = path.extname(file).toLowerCase();
  return ext === '.tsx'
    ? ts.ScriptKind.TSX
    : ext === '.jsx'
      ? ts.ScriptKind.JSX
      : ['.js', '.mjs', '.cjs'].includes(ext)
        ? ts.ScriptKind.JS
        : ts.ScriptKind.TS;
}

export function parse(file, text) {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
}

// ---- the config, read on its own ----------------------------------------------------------------

/** A module named in the config: a package specifier, or a repo file / folder (possibly deleted). */
function configModule(root, spec) {
  const isPath =
    spec.startsWith('./') ||
    spec.startsWith('../') ||
    path.isAbsolute(spec) ||
    (!spec.startsWith('@') &&
      (fs.existsSync(path.join(root, spec.split('/')[0])) ||
        SOURCE_EXTENSIONS.some((e) => spec.endsWith(e)) ||
        spec.endsWith('.d.ts')));
  if (!isPath) return { kind: 'package', spec };
  const abs = path.resolve(root, spec);
  if (fs.existsSync(abs)) return { kind: 'path', path: abs, isDir: fs.statSync(abs).isDirectory(), exists: true };
  for (const ext of [...SOURCE_EXTENSIONS, '.d.ts'])
    if (fs.existsSync(abs + ext)) return { kind: 'path', path: abs + ext, isDir: false, exists: true };
  return { kind: 'path', path: abs, isDir: !SOURCE_EXTENSIONS.some((e) => spec.endsWith(e)), exists: false };
}

function readConcepts(root, raw, presetNames) {
  return raw.concepts.map((c) => {
    const preset = c.preset === 'message-router';
    const compat = c.compat?.module ?? (preset ? 'ssot-kit/router/compat' : undefined);
    const canonical = c.canonical?.module ?? (preset ? 'ssot-kit/router' : undefined);
    const identity = (names) => Object.fromEntries(names.map((n) => [n, n]));
    const defaults = preset
      ? identity(presetNames)
      : c.compat
        ? identity(Object.keys(c.compat.replacements ?? {}))
        : { '*': '*' };
    const unsupported = [];
    const legacy = (c.legacy ?? []).map((l) => {
      for (const key of ['pattern', 'importNames', 'allowTypeImports'])
        if (l[key] !== undefined) unsupported.push(`legacy.${key}`);
      const names = { ...(l.importNames ? identity(l.importNames) : defaults), ...(l.names ?? {}) };
      if (l.module === undefined) return { names, kind: 'unsupported' };
      if (l.module.endsWith('/*')) return { names, kind: 'subpaths', spec: l.module.slice(0, -2), module: l.module };
      return { names, module: l.module, ...configModule(root, l.module) };
    });
    return { id: c.id, target: configModule(root, compat ?? canonical), legacy, unsupported };
  });
}

/** The documented mapping: an explicit name, else `"*"` for every name but `default`; null: stays. */
function mapName(names, name) {
  if (Object.prototype.hasOwnProperty.call(names, name)) return names[name] === '*' ? name : names[name];
  if (name !== 'default' && names['*'] !== undefined) return names['*'] === '*' ? name : names['*'];
  return null;
}

// ---- module resolution, as TypeScript does it ---------------------------------------------------

function createResolver(root) {
  const optionsByConfig = new Map();
  const optionsFor = (file) => {
    const config = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
    const key = config && inside(config, root) ? config : '';
    if (!optionsByConfig.has(key)) {
      let options = { allowJs: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
      if (key) {
        const read = ts.readConfigFile(key, ts.sys.readFile);
        options = ts.parseJsonConfigFileContent(
          { ...read.config, include: [], files: [] },
          ts.sys,
          path.dirname(key),
          undefined,
          key,
        ).options;
        options.allowJs = true;
      }
      optionsByConfig.set(key, { options, cache: ts.createModuleResolutionCache(root, (x) => x, options) });
    }
    return optionsByConfig.get(key);
  };
  return {
    optionsFor: (file) => optionsFor(file).options,
    resolve(spec, file) {
      const { options, cache } = optionsFor(file);
      const r = ts.resolveModuleName(spec, file, options, ts.sys, cache).resolvedModule;
      return r ? path.resolve(r.resolvedFileName) : undefined;
    },
  };
}

// ---- the judge -----------------------------------------------------------------------------------

/**
 * @param {string} root project root (the folder of the config)
 * @param {{ config: object, presetNames: string[], mergeImports?: boolean, rename?: boolean }} options
 */
export function createJudge(root, options) {
  root = path.resolve(root);
  const concepts = readConcepts(root, options.config, options.presetNames);
  const resolver = createResolver(root);
  const exportsCache = new Map();
  const globalReason = options.rename
    ? 'the judge does not model --rename'
    : options.mergeImports
      ? 'the judge does not model --merge-imports'
      : undefined;

  const matchLegacy = (spec, file) => {
    let resolved;
    for (const concept of concepts) {
      for (const entry of concept.legacy) {
        let hit = false;
        if (entry.kind === 'package') hit = spec === entry.spec;
        else if (entry.kind === 'subpaths')
          hit = spec.length > entry.spec.length + 1 && spec.startsWith(entry.spec + '/');
        else if (entry.kind === 'path') {
          resolved ??= resolver.resolve(spec, file) ?? null;
          if (resolved) hit = entry.isDir ? inside(resolved, entry.path) : stripExt(resolved) === stripExt(entry.path);
          else if (spec.startsWith('.')) {
            const intended = stripExt(path.resolve(path.dirname(file), spec));
            const target = stripExt(entry.path);
            hit =
              intended === target ||
              (entry.isDir && inside(intended, entry.path)) ||
              (path.basename(target) === 'index' && intended === path.dirname(target));
          }
        }
        if (hit) return { concept, entry, resolved: resolved ?? resolver.resolve(spec, file) };
      }
    }
    return undefined;
  };

  /** Every export name of a module file (following `export *`), or undefined when it cannot tell. */
  const exportNames = (file, seen = new Set()) => {
    if (exportsCache.has(file)) return exportsCache.get(file);
    if (seen.has(file)) return undefined;
    seen.add(file);
    let names = new Set();
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const sf = parse(file, text);
    const has = (n, k) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === k);
    for (const st of sf.statements) {
      if (ts.isExportAssignment(st)) {
        if (st.isExportEquals) {
          names = undefined;
          break;
        }
        names.add('default');
      } else if (ts.isExportDeclaration(st)) {
        if (!st.exportClause) {
          const to = st.moduleSpecifier && resolver.resolve(st.moduleSpecifier.text, file);
          const inner = to && exportNames(to, seen);
          if (!inner) {
            names = undefined;
            break;
          }
          for (const n of inner) if (n !== 'default') names.add(n);
        } else if (ts.isNamespaceExport(st.exportClause)) names.add(st.exportClause.name.text);
        else for (const el of st.exportClause.elements) names.add(el.name.text);
      } else if (has(st, ts.SyntaxKind.ExportKeyword)) {
        if (has(st, ts.SyntaxKind.DefaultKeyword)) names.add('default');
        else if (ts.isVariableStatement(st)) {
          const add = (b) =>
            ts.isIdentifier(b)
              ? names.add(b.text)
              : b.elements.forEach((e) => !ts.isOmittedExpression(e) && add(e.name));
          for (const d of st.declarationList.declarations) add(d.name);
        } else if (st.name && ts.isIdentifier(st.name)) names.add(st.name.text);
      }
    }
    exportsCache.set(file, names);
    return names;
  };

  /** The name a module's default export declares (`export default X;`, `export default class X`). */
  const defaultExport = (file) => {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    for (const st of parse(file, text).statements) {
      if (ts.isExportAssignment(st) && !st.isExportEquals)
        return ts.isIdentifier(st.expression) ? st.expression.text : undefined;
      const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
      if (
        (ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) &&
        mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
      )
        return st.name?.text;
      if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
        const el = st.exportClause.elements.find((e) => e.name.text === 'default');
        if (el) return (el.propertyName ?? el.name).text;
      }
    }
    return undefined;
  };

  const unwrap = (e) => {
    while (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isNonNullExpression(e)
    )
      e = e.expression;
    return e;
  };

  /** A class `name` as `file` sees it is a legacy class: declared there in a legacy module that maps it, or imported from one under a name that maps. */
  const isLegacyClass = (sf, file, name) => {
    for (const st of sf.statements) {
      if (ts.isClassDeclaration(st) && st.name?.text === name) {
        const home = concepts
          .flatMap((c) => c.legacy)
          .find((l) => l.kind === 'path' && (l.isDir ? inside(file, l.path) : stripExt(file) === stripExt(l.path)));
        return home !== undefined && mapName(home.names, name) !== null;
      }
      const nb = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
      if (nb && ts.isNamedImports(nb)) {
        const el = nb.elements.find((e) => e.name.text === name);
        if (!el) continue;
        const from = matchLegacy(st.moduleSpecifier.text, file);
        return from !== undefined && mapName(from.entry.names, (el.propertyName ?? el.name).text) !== null;
      }
    }
    return false;
  };

  /** Whether module `file` exports `name` as an instance of a legacy class (followed through `export { a as b } [from]`). */
  const exportsInstance = (file, name, depth = 0) => {
    if (!file || depth > 8) return false;
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    const sf = parse(file, text);
    const isClass = (ref) => ts.isIdentifier(ref) && isLegacyClass(sf, file, ref.text);
    const instance = (init, type) => {
      const e = init && unwrap(init);
      return Boolean(
        (e && ts.isNewExpression(e) && isClass(e.expression)) ||
        (type && ts.isTypeReferenceNode(type) && isClass(type.typeName)),
      );
    };
    const variable = (n) => {
      for (const st of sf.statements)
        if (ts.isVariableStatement(st))
          for (const d of st.declarationList.declarations)
            if (ts.isIdentifier(d.name) && d.name.text === n) return instance(d.initializer, d.type);
      return false;
    };
    for (const st of sf.statements) {
      if (name === 'default' && ts.isExportAssignment(st) && !st.isExportEquals) {
        const e = unwrap(st.expression);
        return ts.isIdentifier(e) ? variable(e.text) : instance(e, undefined);
      }
      if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        const el = st.exportClause.elements.find((x) => x.name.text === name);
        if (!el) continue;
        const inner = (el.propertyName ?? el.name).text;
        return st.moduleSpecifier
          ? exportsInstance(resolver.resolve(st.moduleSpecifier.text, file), inner, depth + 1)
          : variable(inner);
      }
      const exported =
        ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (
        exported &&
        ts.isVariableStatement(st) &&
        st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)
      )
        return variable(name);
    }
    return false;
  };

  /** Spelling of the target for one site, by the documented style rules. */
  const targetSpecifier = (site, file, sf) => {
    const { concept, entry } = site.legacy;
    const t = concept.target;
    if (t.kind === 'package') return entry.kind === 'subpaths' ? t.spec + site.spec.slice(entry.spec.length) : t.spec;
    const relative = site.spec.startsWith('.');
    const ownExt = /\.(c|m)?(t|j)sx?$/.exec(site.spec);
    let style = ownExt ? (ownExt[2] === 't' ? 'ts' : 'js') : 'none';
    if (!relative && !ownExt && entry.kind !== 'path') {
      const sibling = importSpecifiers(sf).find((s) => s.startsWith('.'));
      const ext = sibling && /\.(c|m)?(t|j)sx?$/.exec(sibling);
      style = ext ? (ext[2] === 't' ? 'ts' : 'js') : 'none';
    }
    const ext = path.extname(t.path);
    const suffix =
      style === 'none'
        ? ''
        : style === 'ts'
          ? ext
          : ({ '.mts': '.mjs', '.cts': '.cjs', '.ts': '.js', '.tsx': '.js', '.jsx': '.js' }[ext] ?? ext);
    const noExt = posix(stripExt(t.path));
    const dropIndex = (s) => (style === 'none' && s.endsWith('/index') ? s.slice(0, -'/index'.length) : s);
    if (!relative && entry.kind === 'path' && site.legacy.resolved) {
      // A tsconfig `paths` alias spelling: the alias under which the target lies.
      const opts = resolver.optionsFor(file);
      const base = opts.baseUrl ?? path.dirname(opts.configFilePath ?? path.join(root, 'tsconfig.json'));
      for (const [pattern, targets] of Object.entries(opts.paths ?? {})) {
        if (!pattern.endsWith('*') || !site.spec.startsWith(pattern.slice(0, -1))) continue;
        for (const to of targets) {
          if (!to.endsWith('*')) continue;
          const prefix = posix(path.resolve(base, to.slice(0, -1))) + '/';
          if (noExt.startsWith(prefix)) return dropIndex(pattern.slice(0, -1) + noExt.slice(prefix.length)) + suffix;
        }
      }
    }
    let rel = posix(path.relative(path.dirname(file), noExt));
    if (!rel.startsWith('.')) rel = './' + rel;
    return dropIndex(rel) + suffix;
  };

  /**
   * @returns {{ kind: 'judged', expected: string, sites: number, refusals: number }
   *   | { kind: 'unjudged', reason: string }}
   */
  function judgeFile(file, text) {
    file = path.resolve(file);
    const sf = parse(file, text);
    const sites = collectSites(sf)
      .map((s) => ({ ...s, legacy: matchLegacy(s.spec, file) }))
      .filter((s) => s.legacy);
    if (sites.length === 0) return { kind: 'judged', expected: text, sites: 0, refusals: 0 };
    if (globalReason) return { kind: 'unjudged', reason: globalReason };
    const unsupported = sites.find(
      (s) => s.legacy.concept.unsupported.length > 0 || s.legacy.entry.kind === 'unsupported',
    );
    if (unsupported)
      return {
        kind: 'unjudged',
        reason: `concept "${unsupported.legacy.concept.id}" uses ${unsupported.legacy.concept.unsupported.join(', ')}`,
      };
    // A legacy module's own imports go with it; a file that does not parse is never rewritten.
    const own = (s) =>
      s.legacy.concept.legacy.some(
        (l) =>
          l.kind === 'path' &&
          l.exists !== false &&
          (l.isDir ? inside(file, l.path) : stripExt(file) === stripExt(l.path)),
      );
    const active = sites.filter((s) => !own(s));
    if (active.length === 0 || sf.parseDiagnostics.length > 0)
      return { kind: 'judged', expected: text, sites: 0, refusals: 0 };
    const plan = { edits: [], moved: 0, refused: 0, written: new Set() };
    const ctx = {
      file,
      text,
      sf,
      eol: text.includes('\r\n') ? '\r\n' : '\n',
      plan,
      exportNames,
      defaultExport,
      exportsInstance,
      checker: undefined,
    };
    for (const site of active) {
      const spec = targetSpecifier(site, file, sf);
      const before = plan.edits.length;
      const outcome = expectSite(ctx, site, spec);
      if (outcome === 'moved') {
        plan.moved++;
        plan.written.add(spec);
      } else if (outcome === 'refused') {
        plan.refused++;
        plan.edits.length = before;
      }
    }
    const expected = applyEdits(text, plan.edits);
    // The rewrite must not make the module import itself.
    for (const spec of plan.written)
      if (resolver.resolve(spec, file) === file) return { kind: 'judged', expected: text, sites: 0, refusals: 0 };
    return { kind: 'judged', expected, sites: plan.moved, refusals: plan.refused };
  }

  return { judgeFile, concepts };
}

// ---- sites ----------------------------------------------------------------------------------------

function literalOf(node) {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node : undefined;
}

function calleeOf(expr) {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.name)) {
    const left = calleeOf(expr.expression);
    return left && `${left}.${expr.name.text}`;
  }
  return undefined;
}

/** Every module reference of a file, with its form, literal and node. */
function collectSites(sf) {
  const out = [];
  const add = (form, literal, node) => out.push({ form, literal, node, spec: literal.text });
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && literalOf(node.moduleSpecifier)) add('import', node.moduleSpecifier, node);
    else if (ts.isExportDeclaration(node) && literalOf(node.moduleSpecifier)) add('export', node.moduleSpecifier, node);
    else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      literalOf(node.moduleReference.expression)
    ) {
      add('import-equals', node.moduleReference.expression, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && literalOf(node.argument.literal))
      add('import-type', node.argument.literal, node);
    else if (ts.isCallExpression(node) && literalOf(node.arguments[0])) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add('dynamic-import', node.arguments[0], node);
      else if (calleeOf(node.expression) === 'require' && node.arguments.length === 1)
        add('require', node.arguments[0], node);
      else if (MOCK_CALLEES.has(calleeOf(node.expression))) add('mock', node.arguments[0], node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function importSpecifiers(sf) {
  return collectSites(sf).map((s) => s.spec);
}

function applyEdits(text, edits) {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`judge: overlapping edits at ${e.start}`);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

// ---- the expectation per site ------------------------------------------------------------------

const start = (ctx, node) => node.getStart(ctx.sf);
const indentOf = (text, pos) => /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', pos - 1) + 1, pos))[0];
const semicolon = (ctx, node) => (ctx.text.slice(start(ctx, node), node.end).trimEnd().endsWith(';') ? ';' : '');
const quote = (site) => (site.literal.getText().startsWith('"') ? '"' : "'");
const element = (imported, local, type) =>
  `${type ? 'type ' : ''}${imported === local ? imported : `${imported} as ${local}`}`;

/** The literal's text between its quotes. */
function replaceSpecifier(ctx, site, spec) {
  ctx.plan.edits.push({ start: start(ctx, site.literal) + 1, end: site.literal.end - 1, text: spec });
}

/** A new statement on its own line right after `node`, with its indentation. */
function insertAfter(ctx, node, statement) {
  ctx.plan.edits.push({
    start: node.end,
    end: node.end,
    text: `${ctx.eol}${indentOf(ctx.text, start(ctx, node))}${statement}`,
  });
}

/** Removes the elements at `remove` from a comma list, keeping the others and their separators. */
function removeElements(ctx, elements, remove) {
  const spans = elements.map((e) => ({ start: start(ctx, e), end: e.end }));
  for (let i = 0; i < spans.length;) {
    if (!remove.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < spans.length && remove.has(j + 1)) j++;
    if (spans[j + 1]) ctx.plan.edits.push({ start: spans[i].start, end: spans[j + 1].start, text: '' });
    else if (spans[i - 1]) ctx.plan.edits.push({ start: spans[i - 1].end, end: spans[j].end, text: '' });
    i = j + 1;
  }
}

/** 'moved' | 'kept' | 'refused' (refused: the caller drops this site's edits). */
function expectSite(ctx, site, spec) {
  const { entry } = site.legacy;
  const map = (name) => mapName(entry.names, name);
  const node = site.node;
  switch (site.form) {
    case 'import': {
      const clause = node.importClause;
      if (!clause) return (replaceSpecifier(ctx, site, spec), 'moved');
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) {
        if (clause.name) return 'refused';
        return expectNamespace(ctx, site, spec, nb.name, map, { split: true, typeOnly: clause.isTypeOnly });
      }
      return expectNamed(ctx, site, spec, map);
    }
    case 'export': {
      const ec = node.exportClause;
      if (!ec || ts.isNamespaceExport(ec)) return expectWholeModule(ctx, site, spec, map, true);
      const all = ec.elements.map((el, i) => ({ el, i, to: map((el.propertyName ?? el.name).text) }));
      if (
        all.some(
          (m) => m.to === null && ctx.exportsInstance(site.legacy.resolved, (m.el.propertyName ?? m.el.name).text),
        )
      )
        return 'refused';
      const moved = all.filter((m) => m.to !== null);
      if (moved.length === 0) return 'kept';
      const text = (m) => element(m.to, m.el.name.text, m.el.isTypeOnly);
      const renamed = (m) => m.to !== (m.el.propertyName ?? m.el.name).text;
      if (moved.length === ec.elements.length) {
        replaceSpecifier(ctx, site, spec);
        for (const m of moved)
          if (renamed(m)) ctx.plan.edits.push({ start: start(ctx, m.el), end: m.el.end, text: text(m) });
        return 'moved';
      }
      removeElements(ctx, ec.elements, new Set(moved.map((m) => m.i)));
      const q = quote(site);
      insertAfter(
        ctx,
        node,
        `export ${node.isTypeOnly ? 'type ' : ''}{ ${moved.map(text).join(', ')} } ` +
          `from ${q}${spec}${q}${semicolon(ctx, node)}`,
      );
      return 'moved';
    }
    case 'import-equals':
      return expectNamespace(ctx, site, spec, node.name, map, { split: false });
    case 'require':
    case 'dynamic-import':
      return expectCall(ctx, site, spec, map);
    case 'import-type': {
      let q = node.qualifier;
      while (q && ts.isQualifiedName(q)) q = q.left;
      if (!q) return expectWholeModule(ctx, site, spec, map, true);
      const to = map(q.text);
      if (to === null) return 'kept';
      replaceSpecifier(ctx, site, spec);
      if (to !== q.text) ctx.plan.edits.push({ start: start(ctx, q), end: q.end, text: to });
      return 'moved';
    }
    case 'mock':
      return (replaceSpecifier(ctx, site, spec), 'moved');
  }
  return 'kept';
}

function expectNamed(ctx, site, spec, map) {
  const clause = site.node.importClause;
  const typeOnly = clause.isTypeOnly;
  const named = clause.namedBindings ? [...clause.namedBindings.elements] : [];
  const items = [];
  if (clause.name) {
    let to = map('default');
    if (to === null && site.legacy.resolved) {
      // `export default MessageRouter` in the legacy module: the default maps like that name, when listed.
      const name = ctx.defaultExport(site.legacy.resolved);
      if (name && Object.prototype.hasOwnProperty.call(site.legacy.entry.names, name)) to = map(name);
    }
    items.push({ node: clause.name, imported: 'default', local: clause.name.text, type: false, to });
  }
  for (const el of named)
    items.push({
      node: el,
      imported: (el.propertyName ?? el.name).text,
      local: el.name.text,
      type: el.isTypeOnly,
      to: map((el.propertyName ?? el.name).text),
    });
  if (items.some((it) => it.to === null && ctx.exportsInstance(site.legacy.resolved, it.imported))) return 'refused';
  const moved = items.filter((it) => it.to !== null);
  if (moved.length === 0) return 'kept';
  const q = quote(site);
  if (moved.length === items.length) {
    replaceSpecifier(ctx, site, spec);
    for (const it of moved) {
      if (it.imported === 'default') {
        if (it.to === 'default') continue;
        // `D` -> `{ X as D }`; `D, { a }` -> `{ X as D, a }`.
        const el = element(it.to, it.local, false);
        const nb = clause.namedBindings;
        if (!nb) {
          ctx.plan.edits.push({ start: start(ctx, it.node), end: it.node.end, text: `{ ${el} }` });
          continue;
        }
        ctx.plan.edits.push({ start: start(ctx, it.node), end: start(ctx, nb), text: '' });
        const first = nb.elements[0];
        if (!first) {
          ctx.plan.edits.push({ start: start(ctx, nb), end: nb.end, text: `{ ${el} }` });
          continue;
        }
        const multiline = ctx.text.slice(start(ctx, nb), start(ctx, first)).includes('\n');
        ctx.plan.edits.push({
          start: start(ctx, first),
          end: start(ctx, first),
          text: el + (multiline ? `,${ctx.eol}${indentOf(ctx.text, start(ctx, first))}` : ', '),
        });
      } else if (it.to !== it.imported)
        ctx.plan.edits.push({ start: start(ctx, it.node), end: it.node.end, text: element(it.to, it.local, it.type) });
    }
    return 'moved';
  }
  // Split: the staying names keep the statement, the moved ones follow in one of the same form.
  const movedDefault = moved.find((it) => it.imported === 'default' && it.to === 'default');
  const defaultMoves = clause.name && moved.some((it) => it.imported === 'default');
  const namedMoved = new Set(named.map((el, i) => (moved.some((it) => it.node === el) ? i : -1)).filter((i) => i >= 0));
  if (defaultMoves)
    ctx.plan.edits.push({
      start: start(ctx, clause.name),
      end: clause.namedBindings ? start(ctx, clause.namedBindings) : clause.name.end,
      text: '',
    });
  if (named.length > 0 && namedMoved.size === named.length)
    ctx.plan.edits.push({
      start: clause.name ? clause.name.end : start(ctx, clause.namedBindings),
      end: clause.namedBindings.end,
      text: '',
    });
  else removeElements(ctx, named, namedMoved);
  const elements = moved
    .filter((it) => it !== movedDefault)
    .map((it) => element(it.to, it.local, it.type && !typeOnly));
  const parts = [
    ...(movedDefault ? [movedDefault.local] : []),
    ...(elements.length ? [`{ ${elements.join(', ')} }`] : []),
  ];
  insertAfter(
    ctx,
    site.node,
    `import ${typeOnly ? 'type ' : ''}${parts.join(', ')} from ${q}${spec}${q}${semicolon(ctx, site.node)}`,
  );
  return 'moved';
}

/** `export *`, an untraced import(), a namespace object used as a value: every export must map to itself. */
function expectWholeModule(ctx, site, spec, map, needAllExports) {
  if (needAllExports && site.legacy.resolved && site.legacy.entry.exists !== false) {
    const names = ctx.exportNames(site.legacy.resolved);
    if (!names) return 'refused';
    for (const n of names) {
      if (n === 'default' && site.form === 'export' && !site.node.exportClause) continue;
      if (map(n) !== n) return 'refused';
    }
  }
  replaceSpecifier(ctx, site, spec);
  return 'moved';
}

/** TypeScript's binder over the one file: which identifiers are the binding. */
function checkerOf(ctx) {
  if (!ctx.checker) {
    const host = {
      getSourceFile: (n) => (n === ctx.sf.fileName ? ctx.sf : undefined),
      getDefaultLibFileName: () => 'lib.d.ts',
      writeFile() {},
      getCurrentDirectory: () => '/',
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => '\n',
      fileExists: (f) => f === ctx.sf.fileName,
      readFile: () => undefined,
    };
    ctx.checker = ts
      .createProgram({
        rootNames: [ctx.sf.fileName],
        options: { noLib: true, noResolve: true, types: [], allowJs: true, noEmit: true },
        host,
      })
      .getTypeChecker();
  }
  return ctx.checker;
}

function referencesOf(ctx, binding) {
  const checker = checkerOf(ctx);
  const symbol = checker.getSymbolAtLocation(binding);
  const refs = [];
  const visit = (node) => {
    if (ts.isIdentifier(node) && node !== binding && node.text === binding.text) {
      const p = node.parent;
      const s =
        ts.isShorthandPropertyAssignment(p) && p.name === node
          ? checker.getShorthandAssignmentValueSymbol(p)
          : ts.isExportSpecifier(p) && !p.parent.parent.moduleSpecifier
            ? checker.getExportSpecifierLocalTargetSymbol(p)
            : checker.getSymbolAtLocation(node);
      if (s && s === symbol) refs.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(ctx.sf);
  return refs;
}

function expectNamespace(ctx, site, spec, binding, map, { split, typeOnly = false }) {
  const members = [];
  let escapes = false;
  for (const ref of referencesOf(ctx, binding)) {
    const p = ref.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === ref)
      members.push({ name: p.name.text, nameNode: p.name, whole: p, ref });
    else if (ts.isQualifiedName(p) && p.left === ref)
      members.push({ name: p.right.text, nameNode: p.right, whole: p, ref });
    else if (ts.isElementAccessExpression(p) && p.expression === ref && ts.isStringLiteralLike(p.argumentExpression)) {
      members.push({ name: p.argumentExpression.text, nameNode: p.argumentExpression, quoted: true, whole: p, ref });
    } else escapes = true;
  }
  const renames = [];
  const staying = new Set();
  for (const m of members) {
    const to = map(m.name);
    if (to === null && ctx.exportsInstance(site.legacy.resolved, m.name)) return 'refused';
    if (to === null) staying.add(m.name);
    else if (to !== m.name)
      renames.push(
        m.quoted
          ? { start: start(ctx, m.nameNode) + 1, end: m.nameNode.end - 1, text: to }
          : { start: start(ctx, m.nameNode), end: m.nameNode.end, text: to },
      );
  }
  if (escapes) {
    const outcome = expectWholeModule(ctx, site, spec, map, true);
    if (outcome === 'moved') ctx.plan.edits.push(...renames);
    return outcome;
  }
  if (staying.size === 0) {
    replaceSpecifier(ctx, site, spec);
    ctx.plan.edits.push(...renames);
    return 'moved';
  }
  if (staying.size === new Set(members.map((m) => m.name)).size) return 'kept';
  if (!split) return 'refused';
  // Split: the concept members become named imports; `ns.X` becomes `X`. A name the file already
  // spells as an identifier (other than a property name) cannot be bound.
  const locals = [];
  for (const m of members) {
    const to = map(m.name);
    if (to === null) continue;
    if (!locals.includes(to)) {
      if (spellsIdentifier(ctx.sf, to)) return 'refused';
      locals.push(to);
    }
    ctx.plan.edits.push({ start: start(ctx, m.ref), end: m.whole.end, text: to });
  }
  const q = quote(site);
  insertAfter(
    ctx,
    site.node,
    `import ${typeOnly ? 'type ' : ''}{ ${locals.join(', ')} } from ${q}${spec}${q}${semicolon(ctx, site.node)}`,
  );
  return 'moved';
}

function spellsIdentifier(sf, name) {
  let found = false;
  const visit = (node) => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name) {
      const p = node.parent;
      const member =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isQualifiedName(p) && p.right === node) ||
        ((ts.isPropertyAssignment(p) ||
          ts.isPropertyDeclaration(p) ||
          ts.isPropertySignature(p) ||
          ts.isMethodDeclaration(p) ||
          ts.isMethodSignature(p)) &&
          p.name === node);
      if (!member) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `require()` and `import()`: by what the call is bound to. */
function expectCall(ctx, site, spec, map) {
  let outer = site.node;
  while (outer.parent && (ts.isAwaitExpression(outer.parent) || ts.isParenthesizedExpression(outer.parent)))
    outer = outer.parent;
  const p = outer.parent;
  if (
    site.form === 'require' &&
    ts.isPropertyAccessExpression(site.node.parent) &&
    site.node.parent.expression === site.node
  ) {
    const name = site.node.parent.name;
    const to = map(name.text);
    if (to === null) return 'kept';
    replaceSpecifier(ctx, site, spec);
    if (to !== name.text) ctx.plan.edits.push({ start: start(ctx, name), end: name.end, text: to });
    return 'moved';
  }
  if (p && ts.isVariableDeclaration(p) && p.initializer === outer) {
    if (ts.isIdentifier(p.name)) return expectNamespace(ctx, site, spec, p.name, map, { split: false });
    if (ts.isObjectBindingPattern(p.name)) return expectPattern(ctx, site, spec, map, p);
  }
  const bare = site.form === 'require' && p && ts.isExpressionStatement(p);
  return expectWholeModule(ctx, site, spec, map, !bare);
}

function expectPattern(ctx, site, spec, map, decl) {
  const els = [...decl.name.elements];
  const info = els.map((el, i) => {
    const prop = el.propertyName;
    const name = el.dotDotDotToken
      ? undefined
      : prop
        ? ts.isIdentifier(prop) || ts.isStringLiteral(prop)
          ? prop.text
          : undefined
        : ts.isIdentifier(el.name)
          ? el.name.text
          : undefined;
    return { el, i, name, to: name === undefined ? null : map(name) };
  });
  const moved = info.filter((x) => x.to !== null);
  if (moved.length === 0) return 'kept';
  if (els.some((el) => el.dotDotDotToken)) return 'refused';
  const rename = (x) =>
    x.to === x.name
      ? undefined
      : x.el.propertyName
        ? { start: start(ctx, x.el.propertyName), end: x.el.propertyName.end, text: x.to }
        : { start: start(ctx, x.el.name), end: x.el.name.end, text: `${x.to}: ${x.name}` };
  if (moved.length === els.length) {
    replaceSpecifier(ctx, site, spec);
    for (const x of moved) {
      const r = rename(x);
      if (r) ctx.plan.edits.push(r);
    }
    return 'moved';
  }
  const list = decl.parent;
  const statement = list.parent;
  if (
    site.form !== 'require' ||
    !ts.isVariableDeclarationList(list) ||
    list.declarations.length !== 1 ||
    !ts.isVariableStatement(statement)
  )
    return 'refused';
  const keyword = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
  const texts = moved.map((x) => {
    const r = rename(x);
    const s = start(ctx, x.el);
    const original = ctx.text.slice(s, x.el.end);
    return r ? original.slice(0, r.start - s) + r.text + original.slice(r.end - s) : original;
  });
  removeElements(ctx, els, new Set(moved.map((x) => x.i)));
  const q = quote(site);
  insertAfter(
    ctx,
    statement,
    `${keyword} { ${texts.join(', ')} } = require(${q}${spec}${q})${semicolon(ctx, statement)}`,
  );
  return 'moved';
}
