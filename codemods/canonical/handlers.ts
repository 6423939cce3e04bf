import ts from '../../src/core/typescript.cjs';
import type { TextEdit } from '../../src/core/types.js';

/**
 * Stage 2 for a handler passed to a compat `addHandler`: the canonical `on(type, handler)` calls it
 * as `(ctx, message)`, so a handler of another legacy shape is adapted where it is written, in the
 * most readable way that keeps its behaviour (the compat layer told the shapes apart by arity):
 *
 *   inline (message) => ...                 (_ctx, message) => ...
 *   inline (userId, socket, message) => ... ({ userId, connection: socket }, message) => ...
 *   userIdHandler((userId, message) => ...) ({ userId }, message) => ...
 *   a function value f of another shape     (ctx, message) => f(message) / f(ctx.userId, ctx.connection, message)
 *   (ctx, message), () and { handle(ctx, message) } objects stay as they are.
 */
export type HandlerAdaptation =
  { kind: 'as-is' } | { kind: 'edits'; edits: TextEdit[]; wrapped: boolean } | { kind: 'refused'; reason: string };

function words(text: string): Set<string> {
  return new Set(text.match(/[\p{L}\p{N}_$]+/gu) ?? []);
}

/** `base`, or `base2`, `base3`... whichever the text does not spell. */
export function freshName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

function isFunctionLiteral(node: ts.Expression): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

/** The text of the parameter list `(a, b)` of a function literal, as a range (parentheses included when present). */
function parameterListRange(
  sf: ts.SourceFile,
  fn: ts.ArrowFunction | ts.FunctionExpression,
): { start: number; end: number; parenthesized: boolean } {
  const first = fn.parameters[0];
  const last = fn.parameters[fn.parameters.length - 1];
  if (!first || !last) {
    const open = fn.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.OpenParenToken);
    const pos = open ? open.end : fn.getStart(sf);
    return { start: pos, end: pos, parenthesized: true };
  }
  const before = sf.text.slice(0, first.getStart(sf)).trimEnd();
  return { start: first.getStart(sf), end: last.end, parenthesized: before.endsWith('(') };
}

function simpleName(p: ts.ParameterDeclaration): string | undefined {
  return ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken ? p.name.text : undefined;
}

/** The text of a parameter without its type annotation (the canonical context types it). */
function withoutType(sf: ts.SourceFile, p: ts.ParameterDeclaration): string {
  return p.type
    ? sf.text.slice(p.getStart(sf), p.type.pos - 1).replace(/\s*\??\s*$/, '')
    : sf.text.slice(p.getStart(sf), p.end);
}

/** Rewrites the parameters of an inline handler of the given legacy shape. */
function adaptLiteral(
  sf: ts.SourceFile,
  fn: ts.ArrowFunction | ts.FunctionExpression,
  shape: 'message' | 'userId' | 'socket',
): HandlerAdaptation {
  const params = fn.parameters;
  if (params.some((p) => p.dotDotDotToken))
    return { kind: 'refused', reason: 'a handler with a rest parameter: its shape is unknown' };
  const range = parameterListRange(sf, fn);
  const wrap = (inner: string) => (range.parenthesized ? inner : `(${inner})`);
  if (shape === 'message') {
    const ctx = freshName('_ctx', words(sf.text.slice(fn.getStart(sf), fn.end)));
    return {
      kind: 'edits',
      wrapped: false,
      edits: [
        { start: range.start, end: range.start, text: range.parenthesized ? `${ctx}, ` : `(${ctx}, ` },
        ...(range.parenthesized ? [] : [{ start: range.end, end: range.end, text: ')' }]),
      ],
    };
  }
  const first = params[0]!;
  const userId = simpleName(first);
  if (!userId) return { kind: 'refused', reason: "the handler's user id parameter is not a plain name" };
  const fields = [userId === 'userId' ? 'userId' : `userId: ${userId}`];
  let rest = params.slice(1);
  if (shape === 'socket') {
    const socket = simpleName(params[1]!);
    if (!socket) return { kind: 'refused', reason: "the handler's socket parameter is not a plain name" };
    fields.push(socket === 'connection' ? 'connection' : `connection: ${socket}`);
    rest = params.slice(2);
  }
  const text = [`{ ${fields.join(', ')} }`, ...rest.map((p) => sf.text.slice(p.getStart(sf), p.end))].join(', ');
  return { kind: 'edits', wrapped: false, edits: [{ start: range.start, end: range.end, text: wrap(text) }] };
}

/** A wrapper around a function value of another shape. */
function wrapValue(
  sf: ts.SourceFile,
  handler: ts.Expression,
  shape: 'message' | 'userId' | 'socket',
): HandlerAdaptation {
  const text = sf.text.slice(handler.getStart(sf), handler.end);
  const taken = words(text);
  const ctx = freshName(shape === 'message' ? '_ctx' : 'ctx', taken);
  const message = freshName('message', taken);
  const callee = ts.isIdentifier(handler) || ts.isPropertyAccessExpression(handler) ? text : `(${text})`;
  const args =
    shape === 'message'
      ? message
      : shape === 'userId'
        ? `${ctx}.userId, ${message}`
        : `${ctx}.userId, ${ctx}.connection, ${message}`;
  return {
    kind: 'edits',
    wrapped: true,
    edits: [{ start: handler.getStart(sf), end: handler.end, text: `(${ctx}, ${message}) => ${callee}(${args})` }],
  };
}

/** How many parameters a handler value declares, from its type (one call signature only). */
function arityOf(checker: ts.TypeChecker, handler: ts.Expression): number | undefined {
  const signatures = checker.getTypeAtLocation(handler).getCallSignatures();
  if (signatures.length !== 1) return undefined;
  const sig = signatures[0]!;
  const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
  if (decl?.parameters.some((p) => p.dotDotDotToken)) return undefined;
  return sig.parameters.length;
}

/**
 * The adaptation of `handler` for `on()`. `userIdWrapped` is the function inside a compat
 * `userIdHandler(...)` call (the call itself is replaced by the adapted function).
 */
export function adaptHandler(
  sf: ts.SourceFile,
  checker: ts.TypeChecker,
  handler: ts.Expression,
  userIdWrapped?: { call: ts.CallExpression; inner: ts.Expression },
): HandlerAdaptation {
  if (userIdWrapped) {
    const inner = unwrap(userIdWrapped.inner);
    const replaceCall = (edits: TextEdit[], innerRange: { start: number; end: number }): TextEdit[] => [
      { start: userIdWrapped.call.getStart(sf), end: innerRange.start, text: '' },
      ...edits,
      { start: innerRange.end, end: userIdWrapped.call.end, text: '' },
    ];
    const adapted = isFunctionLiteral(inner) ? adaptLiteral(sf, inner, 'userId') : wrapValue(sf, inner, 'userId');
    if (adapted.kind !== 'edits') return adapted;
    const outer = userIdWrapped.inner;
    return {
      kind: 'edits',
      wrapped: adapted.wrapped,
      edits: replaceCall(adapted.edits, { start: outer.getStart(sf), end: outer.end }),
    };
  }
  const h = unwrap(handler);
  if (isFunctionLiteral(h)) {
    if (h.parameters.some((p) => p.dotDotDotToken))
      return { kind: 'refused', reason: 'a handler with a rest parameter: its shape is unknown' };
    const n = h.parameters.length;
    if (n === 0 || n === 2) return { kind: 'as-is' };
    return adaptLiteral(sf, h, n === 1 ? 'message' : 'socket');
  }
  const arity = arityOf(checker, h);
  if (arity !== undefined) {
    if (arity === 0 || arity === 2) return { kind: 'as-is' };
    return wrapValue(sf, handler, arity === 1 ? 'message' : 'socket');
  }
  // A handler object: canonical objects are called handle(ctx, message).
  const handle = checker.getTypeAtLocation(h).getProperty('handle');
  const signatures = handle ? checker.getTypeOfSymbolAtLocation(handle, h).getCallSignatures() : [];
  if (signatures.length === 1) {
    const n = signatures[0]!.parameters.length;
    if (n === 0 || n === 2) return { kind: 'as-is' };
    return {
      kind: 'refused',
      reason:
        `a handler object whose handle takes ${n} parameter(s): ` +
        `canonical handler objects are called handle(ctx, message)`,
    };
  }
  return { kind: 'refused', reason: 'cannot tell the shape of this handler from its type' };
}
