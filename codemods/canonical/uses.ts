import ts from '../../src/core/typescript.cjs';
import { COMPAT_ROUTER_CLASSES, COMPAT_TYPE_REPLACEMENTS } from '../../src/shared/presets/message-router.js';
import type { TextEdit } from '../../src/core/types.js';
import { resultIsUsed } from '../compat-fit.js';
import { adaptHandler, freshName } from './handlers.js';

/**
 * Stage 2, one file: every use of the compat layer the type checker attributes to it (the symbol
 * behind a name is a compat export, the method called is declared by a compat class: a local class
 * that merely shares a name is never touched), each turned into edits that spell the canonical API.
 */

/** What the planner knows about the compat module of this run. */
export interface CompatEnv {
  checker: ts.TypeChecker;
  /** Export symbols of the compat module, by symbol (aliases resolved). */
  exports: Map<ts.Symbol, string>;
  compatFile: ts.SourceFile;
  /** The canonical module's exports (aliases resolved). */
  canonicalExports: ReadonlySet<ts.Symbol>;
  /** Property names of the canonical RouterOptions (what `getDefaultRouter(options)` reads). */
  canonicalOptionKeys: ReadonlySet<string>;
  /** The quote the file uses for strings. */
  quote: string;
}

/** One use of the compat layer in a file. */
export interface Use {
  /** The node the use rewrites (for positions, attribution of type errors, and to exclude it). */
  node: ts.Node;
  /** The import binding (named or namespace) the use goes through, if any. */
  binding?: ts.Symbol;
  /** Set when the use cannot be rewritten. */
  refused?: string;
  edits: TextEdit[];
  /** The binding references this use rewrites away (so the import can go once all are gone). */
  refIds: ts.Identifier[];
  /** Canonical names this use spells without a namespace: name -> used as a value. */
  needs: Map<string, boolean>;
  notes: string[];
}

const STRINGISH = ts.TypeFlags.StringLike;

function text(sf: ts.SourceFile, node: ts.Node): string {
  return sf.text.slice(node.getStart(sf), node.end);
}

function isLeftHandSide(node: ts.Expression): boolean {
  return (
    ts.isIdentifier(node) ||
    ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node) ||
    ts.isCallExpression(node) ||
    ts.isNewExpression(node) ||
    ts.isParenthesizedExpression(node) ||
    node.kind === ts.SyntaxKind.ThisKeyword
  );
}

function parenthesized(sf: ts.SourceFile, node: ts.Expression): string {
  return isLeftHandSide(node) ? text(sf, node) : `(${text(sf, node)})`;
}

function isStringy(checker: ts.TypeChecker, node: ts.Expression): boolean {
  const t = checker.getTypeAtLocation(node);
  return (t.flags & STRINGISH) !== 0 || (t.isUnion() && t.types.every((m) => (m.flags & STRINGISH) !== 0));
}

/** `binding.X` when the compat name was reached through a namespace (or module object) binding. */
interface Reference {
  node: ts.Expression | ts.EntityName;
  name: string;
  namespace?: string;
  binding?: ts.Symbol;
  refId?: ts.Identifier;
}

export class FilePlanner {
  readonly uses: Use[] = [];
  /** Identifier references per import binding, and how many of them a use rewrote. */
  readonly references = new Map<ts.Symbol, ts.Identifier[]>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly env: CompatEnv,
    /** Uses to leave alone, by `start-end` of their node, with the reason (a type error was traced to them). */
    private readonly excluded: ReadonlyMap<string, string>,
    /** The symbols the file's compat import sites bind (named, namespace, module variables). */
    private readonly bindings: ReadonlySet<ts.Symbol>,
  ) {}

  plan(): void {
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return;
      if (ts.isIdentifier(node)) this.identifier(node);
      ts.forEachChild(node, visit);
    };
    visit(this.sf);
  }

  private add(use: Use): void {
    const excluded = this.excluded.get(`${use.node.getStart(this.sf)}-${use.node.end}`);
    if (excluded && !use.refused) use = { ...use, refused: excluded, edits: [] };
    this.uses.push(use);
  }

  private newUse(node: ts.Node, binding?: ts.Symbol, refId?: ts.Identifier): Use {
    return {
      node,
      ...(binding ? { binding } : {}),
      edits: [],
      refIds: refId ? [refId] : [],
      needs: new Map(),
      notes: [],
    };
  }

  private identifier(id: ts.Identifier): void {
    const { checker } = this.env;
    const symbol = checker.getSymbolAtLocation(id);
    if (!symbol) return;
    if (this.bindings.has(symbol) && !this.isDeclarationName(id)) {
      const list = this.references.get(symbol) ?? [];
      list.push(id);
      this.references.set(symbol, list);
    }
    if (this.adapterCallees.has(id) || this.isDeclarationName(id)) return;
    const parent = id.parent;
    // A compat export reached as `ns.X` is handled at `X`.
    if (
      (ts.isPropertyAccessExpression(parent) && parent.expression === id) ||
      (ts.isQualifiedName(parent) && parent.left === id)
    ) {
      const member = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(parent) ? parent.name : parent.right);
      if (member && this.exportName(member)) return;
    }
    const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const exported = this.exportName(resolved);
    if (exported) return this.exportUse(id, exported, symbol);
    if (ts.isPropertyAccessExpression(parent) && parent.name === id && this.isCompatMember(resolved))
      this.memberUse(parent);
  }

  private isDeclarationName(id: ts.Identifier): boolean {
    const p = id.parent;
    return (ts.isVariableDeclaration(p) || ts.isBindingElement(p) || ts.isParameter(p)) && p.name === id;
  }

  private exportName(symbol: ts.Symbol): string | undefined {
    const direct = this.env.exports.get(symbol);
    if (direct) return direct;
    if (symbol.flags & ts.SymbolFlags.Alias) return this.env.exports.get(this.env.checker.getAliasedSymbol(symbol));
    return undefined;
  }

  private isCompatMember(symbol: ts.Symbol): boolean {
    return (symbol.declarations ?? []).some(
      (d) => d.getSourceFile() === this.env.compatFile && ts.isClassLike(d.parent),
    );
  }

  // ---- compat exports ------------------------------------------------------------------------

  private exportUse(id: ts.Identifier, name: string, symbol: ts.Symbol): void {
    const parent = id.parent;
    let ref: Reference;
    if (
      (ts.isPropertyAccessExpression(parent) && parent.name === id) ||
      (ts.isQualifiedName(parent) && parent.right === id)
    ) {
      const left = ts.isPropertyAccessExpression(parent) ? parent.expression : parent.left;
      const binding = ts.isIdentifier(left) ? this.env.checker.getSymbolAtLocation(left) : undefined;
      if (!binding || !ts.isIdentifier(left))
        return this.add({
          ...this.newUse(parent),
          refused: `${name} is reached through an expression the codemod does not follow`,
        });
      ref = { node: parent, name, namespace: left.text, binding, refId: left };
    } else {
      if (ts.isShorthandPropertyAssignment(parent))
        return this.add({ ...this.newUse(id, symbol), refused: `${name} is passed around as a value` });
      ref = { node: id, name, ...(this.bindings.has(symbol) ? { binding: symbol, refId: id } : {}) };
    }
    const node = ref.node;
    const context = node.parent;
    // A construction or a call is one use: its whole expression is what a type error is traced to.
    const whole =
      (ts.isNewExpression(context) || ts.isCallExpression(context)) && context.expression === node ? context : node;
    const use = this.newUse(whole, ref.binding, ref.refId);
    if (ts.isNewExpression(context) && context.expression === node) this.construct(use, ref, context);
    else if (ts.isCallExpression(context) && context.expression === node) this.callFunction(use, ref, context);
    else if (
      ts.isTypeReferenceNode(context) ||
      ts.isTypeQueryNode(context) ||
      ts.isExpressionWithTypeArguments(context) ||
      ts.isImportTypeNode(context)
    ) {
      if (ts.isExpressionWithTypeArguments(context) && ts.isHeritageClause(context.parent))
        use.refused = `a class extends or implements ${name}: rewrite the subclass by hand`;
      else if (ts.isTypeQueryNode(context))
        use.refused = `typeof ${name}: the canonical router has no such class to take the type of`;
      else this.typeUse(use, ref);
    } else if (
      ts.isBinaryExpression(context) &&
      context.right === node &&
      context.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
      COMPAT_ROUTER_CLASSES.includes(name)
    ) {
      this.rename(use, ref, 'CanonicalMessageRouter', true);
    } else use.refused = `${name} is used as a value (${ts.SyntaxKind[context.kind]}), not called or constructed`;
    this.add(use);
  }

  /** Replaces the reference by a canonical name, through its namespace when it had one. */
  private rename(use: Use, ref: Reference, canonical: string, value: boolean): void {
    if (ts.isImportTypeNode(ref.node.parent)) {
      // import('<compat>').X: the qualifier is renamed and the specifier moves with the site.
      use.edits.push({ start: ref.node.getStart(this.sf), end: ref.node.end, text: canonical });
      return;
    }
    if (ref.namespace) {
      const right = ts.isPropertyAccessExpression(ref.node) ? ref.node.name : (ref.node as ts.QualifiedName).right;
      use.edits.push({ start: right.getStart(this.sf), end: right.end, text: canonical });
    } else {
      use.edits.push({ start: ref.node.getStart(this.sf), end: ref.node.end, text: canonical });
      use.needs.set(canonical, value || (use.needs.get(canonical) ?? false));
    }
  }

  /** How this reference spells a canonical value name (for `getDefaultRouter()` and friends). */
  private spell(use: Use, ref: Reference, canonical: string): string {
    if (ref.namespace) return `${ref.namespace}.${canonical}`;
    use.needs.set(canonical, true);
    return canonical;
  }

  private typeUse(use: Use, ref: Reference): void {
    const canonical = COMPAT_TYPE_REPLACEMENTS[ref.name];
    if (!canonical) {
      use.refused = `${ref.name} has no canonical type`;
      return;
    }
    this.rename(use, ref, canonical, false);
  }

  private construct(use: Use, ref: Reference, expr: ts.NewExpression): void {
    const { checker } = this.env;
    if (!COMPAT_ROUTER_CLASSES.includes(ref.name)) {
      use.refused =
        ref.name === 'UserScopedWebSocketEventRouter'
          ? 'UserScopedWebSocketEventRouter takes the user again on every call: rewrite to router.forUser(ctx) by hand'
          : `new ${ref.name}(): not a router class`;
      return;
    }
    const args = expr.arguments ?? ts.factory.createNodeArray();
    if (args.length > 1) {
      use.refused = `new ${ref.name}() with ${args.length} arguments`;
      return;
    }
    const arg = args[0];
    const replaceWith = (replacement: string): void =>
      void use.edits.push({ start: expr.getStart(this.sf), end: expr.end, text: replacement });
    if (!arg) return replaceWith(`${this.spell(use, ref, 'getDefaultRouter')}()`);
    const argType = checker.getTypeAtLocation(arg);
    const argClass = argType.getSymbol()?.getName();
    if (
      argClass === 'CanonicalMessageRouter' ||
      (argType.getSymbol() &&
        (argType.getSymbol()!.declarations ?? []).some((d) => d.getSourceFile() === this.env.compatFile))
    ) {
      // The compat adapter wrapped that router; the router itself is what the code gets now.
      return replaceWith(parenthesized(this.sf, arg));
    }
    // Options: the compat layer passed the keys the canonical router knows and ignored the rest.
    if (ts.isObjectLiteralExpression(arg)) {
      const kept: string[] = [];
      const dropped: string[] = [];
      for (const p of arg.properties) {
        const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
        if (!key || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
          use.refused = `new ${ref.name}(options): only plain properties can be checked against the canonical options`;
          return;
        }
        if (this.env.canonicalOptionKeys.has(key)) kept.push(text(this.sf, p));
        else dropped.push(key);
      }
      if (dropped.length > 0)
        use.notes.push(
          `dropped option(s) ${dropped.join(', ')} of new ${ref.name}(): the compat layer ignored them already`,
        );
      return replaceWith(
        `${this.spell(use, ref, 'getDefaultRouter')}(${kept.length > 0 ? `{ ${kept.join(', ')} }` : ''})`,
      );
    }
    const known = argType.getProperties().some((p) => this.env.canonicalOptionKeys.has(p.getName()));
    if (!known && (ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg))) {
      use.notes.push(
        `dropped the options of new ${ref.name}(${text(this.sf, arg)}): none of ` +
          `their keys is a canonical option, the compat layer ignored them already`,
      );
      return replaceWith(`${this.spell(use, ref, 'getDefaultRouter')}()`);
    }
    replaceWith(`${this.spell(use, ref, 'getDefaultRouter')}(${text(this.sf, arg)})`);
  }

  private callFunction(use: Use, ref: Reference, call: ts.CallExpression): void {
    const { checker } = this.env;
    const args = call.arguments;
    const calleeRange = { start: ref.node.getStart(this.sf), end: ref.node.end };
    switch (ref.name) {
      case 'getMessageRouter':
        use.edits.push({ ...calleeRange, text: this.spell(use, ref, 'getDefaultRouter') });
        return;
      case 'createMessageRouter':
        this.rename(use, ref, 'createMessageRouter', true);
        return;
      case 'broadcastToUser': {
        const first = args[0];
        if (!first) return void (use.refused = 'broadcastToUser() without arguments');
        // The overload the checker chose says which shape this is: (userId, event) or (router, userId, event).
        const declaration = checker.getResolvedSignature(call)?.getDeclaration() as ts.SignatureDeclaration | undefined;
        const firstParameter = declaration?.parameters[0]?.name;
        const free =
          firstParameter && ts.isIdentifier(firstParameter)
            ? firstParameter.text === 'userId'
            : isStringy(checker, first);
        if (free) {
          use.edits.push({ ...calleeRange, text: `${this.spell(use, ref, 'getDefaultRouter')}().forUser` });
          return this.broadcastArguments(use, call, 0);
        }
        const router = first;
        const routerType = checker.getTypeAtLocation(router);
        const maybeUndefined =
          routerType.isUnion() && routerType.types.some((t) => t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void));
        const userId = args[1];
        if (!userId) return void (use.refused = 'broadcastToUser(router) without a user');
        const routerText = maybeUndefined
          ? `(${text(this.sf, router)} ?? ${this.spell(use, ref, 'getDefaultRouter')}())`
          : parenthesized(this.sf, router);
        use.edits.push({ start: calleeRange.start, end: userId.getStart(this.sf), text: `${routerText}.forUser(` });
        return this.broadcastArguments(use, call, 1);
      }
      default:
        use.refused = `${ref.name}() has no canonical rewrite here`;
    }
  }

  /** `(userId, event[, payload])` -> `(userId).broadcast(event)`, and the result as a number when it is used. */
  private broadcastArguments(use: Use, call: ts.CallExpression, userIndex: number): void {
    const args = call.arguments;
    const userId = args[userIndex]!;
    const event = args[userIndex + 1];
    const payload = args[userIndex + 2];
    if (!event) return void (use.refused = 'broadcastToUser() without an event');
    if (args.length > userIndex + 3) return void (use.refused = 'broadcastToUser() with extra arguments');
    if (isStringy(this.env.checker, event)) {
      use.edits.push({ start: userId.end, end: event.getStart(this.sf), text: `).broadcast({ type: ` });
      if (payload)
        use.edits.push(
          { start: event.end, end: payload.getStart(this.sf), text: ', payload: ' },
          { start: payload.end, end: payload.end, text: ' }' },
        );
      else use.edits.push({ start: event.end, end: event.end, text: ' }' });
    } else {
      if (payload)
        return void (use.refused =
          'broadcastToUser(userId, event, payload) with an event object: the compat layer ignored the payload');
      use.edits.push({ start: userId.end, end: event.getStart(this.sf), text: ').broadcast(' });
    }
    this.deliveredCount(use, call);
  }

  /** The compat layer resolved to the number of deliveries; the canonical result is an object. */
  private deliveredCount(use: Use, call: ts.CallExpression): void {
    if (!resultIsUsed(call)) return;
    let outer: ts.Node = call;
    while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    if (ts.isAwaitExpression(outer.parent)) {
      const awaited = outer.parent;
      use.edits.push(
        { start: awaited.getStart(this.sf), end: awaited.getStart(this.sf), text: '(' },
        { start: awaited.end, end: awaited.end, text: ').delivered' },
      );
    } else use.edits.push({ start: call.end, end: call.end, text: '.then((result) => result.delivered)' });
  }

  // ---- compat methods ------------------------------------------------------------------------

  private memberUse(access: ts.PropertyAccessExpression): void {
    const { checker } = this.env;
    const callOf =
      ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
    const use = this.newUse(callOf ?? access);
    const name = access.name.text;
    const receiverType = checker.getTypeAtLocation(access.expression);
    const receiverClass = receiverType.getSymbol();
    const inCompat = (receiverClass?.declarations ?? []).some((d) => d.getSourceFile() === this.env.compatFile);
    if (!inCompat) {
      use.refused =
        `${name}() on ${receiverClass ? receiverClass.getName() : 'a value'} that ` +
        `is not a compat router itself (a subclass or a union): rewrite by hand`;
      return this.add(use);
    }
    if (receiverClass?.getName() === 'UserScopedWebSocketEventRouter') {
      use.refused =
        'UserScopedWebSocketEventRouter takes the user again on every call: rewrite to router.forUser(ctx) by hand';
      return this.add(use);
    }
    const call = ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
    if (name === 'canonical' && !call) {
      use.edits.push({ start: access.expression.end, end: access.end, text: '' });
      return this.add(use);
    }
    if (!call) {
      use.refused = `${name} is read without being called`;
      return this.add(use);
    }
    const rename = (to: string) =>
      use.edits.push({ start: access.name.getStart(this.sf), end: access.name.end, text: to });
    const args = call.arguments;
    switch (name) {
      case 'addHandler':
      case 'registerHandler':
        this.registration(use, call, rename, 'on');
        break;
      case 'removeHandler':
        this.registration(use, call, rename, 'off');
        break;
      case 'routeMessage': {
        const ctx = args[0];
        if (!ctx || args.length !== 2) {
          use.refused = 'routeMessage() needs (ctx, raw)';
          break;
        }
        if (isStringy(checker, ctx)) {
          rename('forUser');
          use.edits.push({ start: ctx.end, end: args[1]!.getStart(this.sf), text: ').route(' });
        } else rename('route');
        break;
      }
      case 'registerConnection':
        if (resultIsUsed(call))
          use.refused =
            'registerConnection() returned the id; register() returns ' +
            'an unregister function, and the result is used here';
        else rename('register');
        break;
      case 'unregisterConnection':
        rename('unregister');
        break;
      case 'broadcastToUser':
        rename('forUser');
        this.broadcastArguments(use, call, 0);
        break;
      case 'getStats':
        rename('stats');
        break;
      default:
        use.refused = `${name}() has no canonical rewrite`;
    }
    this.add(use);
  }

  private registration(use: Use, call: ts.CallExpression, rename: (to: string) => void, to: 'on' | 'off'): void {
    const args = call.arguments;
    const typeless = args.length === 1;
    const handler = typeless ? args[0] : args[1];
    if (!handler || args.length > 2) {
      use.refused = 'a handler registration with an unexpected number of arguments';
      return;
    }
    const userIdCall = this.userIdHandlerCall(handler);
    const adaptation = adaptHandler(this.sf, this.env.checker, handler, userIdCall);
    if (adaptation.kind === 'refused') {
      use.refused = adaptation.reason;
      return;
    }
    if (to === 'off' && adaptation.kind === 'edits') {
      use.refused =
        'removeHandler() of a handler that on() needs adapted: keep the function on() returns and call it instead';
      return;
    }
    rename(to);
    if (typeless)
      use.edits.push({
        start: handler.getStart(this.sf),
        end: handler.getStart(this.sf),
        text: `${this.env.quote}*${this.env.quote}, `,
      });
    if (adaptation.kind === 'edits') use.edits.push(...adaptation.edits);
    if (userIdCall) {
      // The userIdHandler call goes with the rewrite: its reference (or its namespace's) goes too.
      const callee = userIdCall.call.expression;
      const id = ts.isIdentifier(callee)
        ? callee
        : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)
          ? callee.name
          : undefined;
      if (id) this.adapterCallees.add(id);
      const ref = ts.isIdentifier(callee)
        ? callee
        : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
          ? callee.expression
          : undefined;
      if (ref) use.refIds.push(ref);
    }
  }

  /** userIdHandler identifiers consumed by a registration rewrite (not separate uses). */
  readonly adapterCallees = new Set<ts.Identifier>();

  private userIdHandlerCall(handler: ts.Expression): { call: ts.CallExpression; inner: ts.Expression } | undefined {
    if (!ts.isCallExpression(handler) || handler.arguments.length !== 1) return undefined;
    const callee = handler.expression;
    const id = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    const symbol = id ? this.env.checker.getSymbolAtLocation(id) : undefined;
    if (!symbol || this.exportName(symbol) !== 'userIdHandler') return undefined;
    return { call: handler, inner: handler.arguments[0]! };
  }
}

export { freshName };
