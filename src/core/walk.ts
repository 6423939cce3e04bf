import ts from './typescript.cjs';

/**
 * Visits every descendant of `root` in source order (pre-order), with an explicit stack instead
 * of recursion: a tree is as deep as its source makes it (`'a' + 'a' + ...` nests one binary
 * expression per `+`), and tsc compiles chains far deeper than a recursive walk's call stack
 * allows. `visit` returns false to leave a node's children unvisited.
 */
export function walkAst(root: ts.Node, visit: (node: ts.Node, parent: ts.Node) => boolean | void): void {
  const nodes: ts.Node[] = [];
  const parents: ts.Node[] = [];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): undefined => {
    children.push(child);
    return undefined; // a truthy return would stop forEachChild
  };
  const pushChildren = (node: ts.Node): void => {
    children.length = 0;
    ts.forEachChild(node, collect);
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i]!);
      parents.push(node);
    }
  };
  pushChildren(root);
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop()!;
    if (visit(node, parent) !== false) pushChildren(node);
  }
}

/** The expression inside parentheses, `as`/`satisfies`/`<T>` assertions and `!`: what a value really is. */
export function unwrapExpression(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e) ||
    ts.isNonNullExpression(e)
  )
    e = e.expression;
  return e;
}
