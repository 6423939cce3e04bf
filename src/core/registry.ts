import ts from './typescript.cjs';
import { unwrapExpression, walkAst } from './walk.js';

/**
 * Registries: the state and behaviour a concept like an event emitter or a message router is made
 * of. A registry is a collection (array, Set, Map, record) that a declaration owns, fills in one
 * place (registration: `push`, `add`, `set`, `[k] =`) and invokes in another (dispatch: every
 * stored handler called, or the one looked up by key, or a method called on every stored item).
 * Found on syntax alone, per file; whether a registry is the concept's is the detector's call.
 */

/**
 * How a dispatch reaches the stored items: every one of them, the one looked up by key, or each
 * in turn until one answers (a chain of responsibility: the loop stops on a handler's result).
 */
export type DispatchCall = 'each' | 'one' | 'first';

export interface Dispatch {
  /** The member (method, accessor, property, nested function) that dispatches. */
  member: string;
  call: DispatchCall;
  /** Set when a method of each stored item is called (`connection.send(...)`) instead of the item itself. */
  method?: string;
  /** The item's property that holds the stored function (`listener.callback(...)`), when not the item itself. */
  via?: string;
}

/** A declaration that can own a registry, as the detector reports it. */
export interface RegistryOwner {
  node: ts.Node;
  name: string;
  kind: 'class' | 'function' | 'const-function' | 'const-object';
}

export interface Registry {
  owner: RegistryOwner;
  /** The storage's name (`listeners`, `#handlers`). */
  storage: string;
  /** The storage's declared type or initializer, as written (shortened). */
  storageText: string;
  /** The node that declares the storage. */
  declaration: ts.Node;
  /** Items are stored per key (`map.set(type, ...)`, `record[type] = ...`, `map.get(type).push(...)`). */
  keyed: boolean;
  /** Members that add items. */
  registers: string[];
  dispatches: Dispatch[];
  /** Every member that reaches the storage (adds, removes, reads, dispatches). */
  touching: string[];
  /** Emptied where it is dispatched (a list of one-shot waiters, not a listener list). */
  oneShot: boolean;
}

/** Answers what syntax in one file cannot: is `property` of the named type a stored function (not a method)? */
export type PropertyKindQuery = (
  typeName: ts.EntityName,
  property: string,
  sf: ts.SourceFile,
) => 'function' | 'method' | undefined;

// ---- small syntax helpers -------------------------------------------------------------------

/**
 * Visits `root` and its descendants in pre-order with an explicit stack (walk.ts: a tree nests as
 * deep as its source does); `visit` returns false to leave a node's children unvisited.
 */
function walkFrom(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  if (visit(root) === false) return;
  walkAst(root, (node) => visit(node));
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))
    return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Symbol')
      return `[Symbol.${e.name.text}]`;
  }
  return undefined;
}

const COLLECTION_TYPES = new Set([
  'Array',
  'ReadonlyArray',
  'Set',
  'ReadonlySet',
  'Map',
  'ReadonlyMap',
  'Record',
  'WeakMap',
]);
const COLLECTION_CONSTRUCTORS = new Set(['Array', 'Set', 'Map', 'WeakMap']);

/** The collection type inside a declared type (`X[] | undefined` -> `X[]`), if any. */
function collectionTypeOf(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (!type) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return collectionTypeOf(type.type);
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword)
    return collectionTypeOf(type.type);
  if (ts.isArrayTypeNode(type)) return type;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && COLLECTION_TYPES.has(type.typeName.text))
    return type;
  if (ts.isTypeLiteralNode(type) && type.members.some(ts.isIndexSignatureDeclaration)) return type;
  if (ts.isUnionTypeNode(type)) {
    for (const t of type.types) {
      const c = collectionTypeOf(t);
      if (c) return c;
    }
  }
  return undefined;
}

/** True when an expression creates an empty or filled collection. */
function isCollectionExpression(expr: ts.Expression | undefined): boolean {
  if (!expr) return false;
  const e = unwrapExpression(expr);
  if (ts.isArrayLiteralExpression(e)) return true;
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && COLLECTION_CONSTRUCTORS.has(e.expression.text))
    return true;
  if (ts.isObjectLiteralExpression(e) && e.properties.length === 0) return true;
  if (ts.isObjectLiteralExpression(e) && staticKeysOf(e).length > 0) return true;
  if (
    ts.isCallExpression(e) &&
    ts.isPropertyAccessExpression(e.expression) &&
    ts.isIdentifier(e.expression.expression)
  ) {
    const callee = `${e.expression.expression.text}.${e.expression.name.text}`;
    if (callee === 'Object.create' && e.arguments[0]?.kind === ts.SyntaxKind.NullKeyword) return true;
  }
  return false;
}

/** `{ data: [], end: [] }`: a collection per event name, written out. Returns the names. */
function staticKeysOf(obj: ts.ObjectLiteralExpression): string[] {
  const keys: string[] = [];
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p)) return [];
    const name = propertyNameText(p.name);
    const init = unwrapExpression(p.initializer);
    const isCollection =
      ts.isArrayLiteralExpression(init) ||
      (ts.isNewExpression(init) &&
        ts.isIdentifier(init.expression) &&
        COLLECTION_CONSTRUCTORS.has(init.expression.text));
    if (!name || !isCollection) return [];
    keys.push(name);
  }
  return keys;
}

/** The type of one stored item, from the declared type or the initializer's type arguments. */
function itemTypeOf(
  type: ts.TypeNode | undefined,
  init: ts.Expression | undefined,
): { item?: ts.TypeNode; keyed: boolean } {
  const fromType = (t: ts.TypeNode | undefined): { item?: ts.TypeNode; keyed: boolean } | undefined => {
    const c = collectionTypeOf(t);
    if (!c) return undefined;
    if (ts.isArrayTypeNode(c)) {
      const inner = fromType(c.elementType); // Set<Listener>[]: lists per index
      return inner ? { ...inner, keyed: true } : { item: c.elementType, keyed: false };
    }
    if (ts.isTypeLiteralNode(c)) {
      const index = c.members.find(ts.isIndexSignatureDeclaration);
      const inner = index && fromType(index.type);
      return inner ? { ...inner, keyed: true } : { ...(index ? { item: index.type } : {}), keyed: true };
    }
    if (ts.isTypeReferenceNode(c) && ts.isIdentifier(c.typeName)) {
      const args = c.typeArguments ?? [];
      const name = c.typeName.text;
      if (name === 'Map' || name === 'ReadonlyMap' || name === 'Record' || name === 'WeakMap') {
        const inner = fromType(args[1]);
        return inner ? { ...inner, keyed: true } : { ...(args[1] ? { item: args[1] } : {}), keyed: true };
      }
      return { ...(args[0] ? { item: args[0] } : {}), keyed: false };
    }
    return undefined;
  };
  const declared = fromType(type);
  if (declared?.item) return declared;
  const e = init ? unwrapExpression(init) : undefined;
  if (e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.typeArguments) {
    const args = e.typeArguments;
    if (e.expression.text === 'Map' || e.expression.text === 'WeakMap') {
      const inner = fromType(args[1]);
      return inner ? { ...inner, keyed: true } : { ...(args[1] ? { item: args[1] } : {}), keyed: true };
    }
    return { ...(args[0] ? { item: args[0] } : {}), keyed: false };
  }
  return declared ?? { keyed: false };
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function isLiteral(expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  return (
    ts.isStringLiteralLike(e) ||
    ts.isNumericLiteral(e) ||
    ts.isTemplateExpression(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(e) && e.text === 'undefined')
  );
}

// ---- storage slots ----------------------------------------------------------------------------

type SlotKind = 'array' | 'set' | 'map' | 'record' | 'unknown';

interface Slot {
  name: string;
  /** `this.name` inside `host` (a class or an object literal) or the identifier `name` inside `host` (a scope). */
  access: 'this' | 'identifier';
  host: ts.Node;
  declaration: ts.Node;
  type?: ts.TypeNode;
  initializer?: ts.Expression;
  owner: RegistryOwner;
  /** For an object literal bound to a name: `name.storage` reaches it too. */
  alias?: string;
}

/** What kind of collection a slot holds: element access means a key only on maps and records. */
function slotKind(slot: Slot): SlotKind {
  const t = collectionTypeOf(slot.type);
  if (t) {
    if (ts.isArrayTypeNode(t)) return collectionTypeOf(t.elementType) ? 'record' : 'array';
    if (ts.isTypeLiteralNode(t)) return 'record';
    if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
      const n = t.typeName.text;
      return n === 'Record' ? 'record' : n.endsWith('Map') ? 'map' : n.endsWith('Set') ? 'set' : 'array';
    }
  }
  const init = slot.initializer && unwrapExpression(slot.initializer);
  if (init) {
    if (ts.isArrayLiteralExpression(init)) return 'array';
    if (ts.isObjectLiteralExpression(init) || ts.isCallExpression(init)) return 'record';
    if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) {
      const n = init.expression.text;
      return n === 'Array' ? 'array' : n === 'Set' ? 'set' : 'map';
    }
  }
  return 'unknown';
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function slotText(slot: Slot, sf: ts.SourceFile): string {
  if (slot.type) return shorten(slot.type.getText(sf));
  if (slot.initializer) return shorten(slot.initializer.getText(sf));
  return '';
}

/** A declaration the detector can report, named as it appears. */
function ownerOf(node: ts.Node): RegistryOwner | undefined {
  if (ts.isClassDeclaration(node)) return { node, name: node.name?.text ?? 'default', kind: 'class' };
  if (ts.isFunctionDeclaration(node)) return { node, name: node.name?.text ?? 'default', kind: 'function' };
  if (
    (ts.isClassExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isObjectLiteralExpression(node)) &&
    node.parent
  ) {
    let p: ts.Node = node.parent;
    while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) p = p.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
      const kind = ts.isClassExpression(node)
        ? 'class'
        : ts.isObjectLiteralExpression(node)
          ? 'const-object'
          : 'const-function';
      return { node: p, name: p.name.text, kind };
    }
    if (ts.isClassExpression(node)) return { node, name: node.name?.text ?? 'default', kind: 'class' };
    if (ts.isExportAssignment(p)) {
      const kind = ts.isObjectLiteralExpression(node) ? 'const-object' : 'const-function';
      return { node: p, name: 'default', kind };
    }
  }
  return undefined;
}

/** The nearest enclosing declaration the detector can report (for storage in a method or a callback). */
function enclosingOwner(node: ts.Node): RegistryOwner | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isSourceFile(n)) return undefined;
    const owner = ownerOf(n);
    if (owner && !ts.isObjectLiteralExpression(n)) return owner;
  }
  return undefined;
}

/** Storage declared by classes, object literals, function bodies and the module. */
function collectSlots(sf: ts.SourceFile): Slot[] {
  const slots: Slot[] = [];
  walkAst(sf, (node) => {
    if (ts.isClassLike(node)) {
      const owner = ownerOf(node);
      if (owner) {
        const declared = new Map<string, Slot>();
        for (const member of node.members) {
          if (ts.isPropertyDeclaration(member)) {
            const name = propertyNameText(member.name);
            if (!name) continue;
            if (isCollectionExpression(member.initializer) || collectionTypeOf(member.type)) {
              const slot: Slot = {
                name,
                access: 'this',
                host: node,
                declaration: member,
                owner,
                ...(member.type ? { type: member.type } : {}),
                ...(member.initializer ? { initializer: member.initializer } : {}),
              };
              declared.set(name, slot);
              slots.push(slot);
            } else if (!member.initializer) {
              // Declared without a collection type; a constructor may still assign one (below).
              declared.set(name, { name, access: 'this', host: node, declaration: member, owner });
            }
          }
          if (ts.isConstructorDeclaration(member)) {
            for (const p of member.parameters) {
              const name = propertyNameText(p.name);
              if (name && ts.isParameterPropertyDeclaration(p, member) && collectionTypeOf(p.type)) {
                slots.push({
                  name,
                  access: 'this',
                  host: node,
                  declaration: p,
                  owner,
                  ...(p.type ? { type: p.type } : {}),
                });
              }
            }
          }
        }
        // `this.x = new Set()` in the constructor, for a field declared without a collection.
        const ctor = node.members.find(ts.isConstructorDeclaration);
        ctor?.body?.statements.forEach((st) => {
          if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression)) return;
          const { left, right, operatorToken } = st.expression;
          if (
            operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
            !ts.isPropertyAccessExpression(left) ||
            left.expression.kind !== ts.SyntaxKind.ThisKeyword
          )
            return;
          const name = left.name.text;
          if (!isCollectionExpression(right) || slots.some((s) => s.host === node && s.name === name)) return;
          const field = declared.get(name);
          slots.push({
            name,
            access: 'this',
            host: node,
            declaration: field?.declaration ?? st,
            owner,
            initializer: right,
          });
        });
      }
    } else if (ts.isObjectLiteralExpression(node)) {
      const owner = ownerOf(node) ?? enclosingOwner(node);
      if (owner) {
        const alias =
          owner.kind === 'const-object' && ts.isVariableDeclaration(owner.node) && ts.isIdentifier(owner.node.name)
            ? owner.node.name.text
            : undefined;
        for (const prop of node.properties) {
          if (!ts.isPropertyAssignment(prop)) continue;
          const name = propertyNameText(prop.name);
          if (name && isCollectionExpression(prop.initializer)) {
            slots.push({
              name,
              access: 'this',
              host: node,
              declaration: prop,
              owner,
              initializer: prop.initializer,
              ...(alias ? { alias } : {}),
            });
          }
        }
      }
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      (isCollectionExpression(node.initializer) || collectionTypeOf(node.type))
    ) {
      const scope = scopeOf(node);
      if (scope) {
        const owner = ts.isSourceFile(scope) ? undefined : (ownerOf(scope) ?? enclosingOwner(scope));
        const moduleOwner: RegistryOwner = { node: sf, name: '(module)', kind: 'function' };
        slots.push({
          name: node.name.text,
          access: 'identifier',
          host: scope,
          declaration: node,
          owner: owner ?? moduleOwner,
          ...(node.type ? { type: node.type } : {}),
          ...(node.initializer ? { initializer: node.initializer } : {}),
        });
      }
    }
  });
  return slots;
}

/** The function body or module a variable lives in (block scopes count as the enclosing function's). */
function scopeOf(decl: ts.VariableDeclaration): ts.Node | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isSourceFile(n) || isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n)) return n;
    if (ts.isModuleBlock(n)) return n;
  }
  return undefined;
}

/** True when `node` (a function-like or block) declares `name` itself, hiding an outer variable. */
function declaresName(node: ts.Node, name: string): boolean {
  if (isFunctionLike(node)) {
    if (node.parameters.some((p) => bindsName(p.name, name))) return true;
    if (
      (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) &&
      node.name?.text === name &&
      !ts.isFunctionDeclaration(node)
    )
      return true;
    const body = node.body;
    if (body && ts.isBlock(body)) return blockDeclares(body, name);
    return false;
  }
  return false;
}

/** Names a block declares itself (variables, nested function declarations) outside nested functions; once per block. */
const declaredInBlock = new WeakMap<ts.Node, Set<string>>();

function blockDeclares(block: ts.Block, name: string): boolean {
  let names = declaredInBlock.get(block);
  if (!names) {
    const found = new Set<string>();
    walkAst(block, (n) => {
      if (isFunctionLike(n)) {
        if (ts.isFunctionDeclaration(n) && n.name) found.add(n.name.text);
        return false;
      }
      if (ts.isVariableDeclaration(n)) addBoundNames(n.name, found);
      return true;
    });
    declaredInBlock.set(block, (names = found));
  }
  return names.has(name);
}

function addBoundNames(binding: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(binding)) out.add(binding.text);
  else for (const el of binding.elements) if (!ts.isOmittedExpression(el)) addBoundNames(el.name, out);
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, name));
}

/** True when an identifier is a reference (not a property name, a declaration or a key). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isPropertySignature(p)) &&
    p.name === id
  )
    return false;
  if (
    (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p)) &&
    p.name === id
  )
    return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p)) return false;
  return true;
}

/** Nodes that give `this` a new meaning: a nested class, a non-arrow function, an object literal's method. */
function rebindsThis(node: ts.Node): boolean {
  return (
    ts.isClassLike(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** `this.<name>` inside `body`, not inside nested code where `this` is something else. */
function thisAccessesIn(body: ts.Node, name: string, out: ts.Expression[]): void {
  walkFrom(body, (n) => {
    if (rebindsThis(n)) return false;
    if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword && n.name.text === name)
      out.push(n);
    return true;
  });
}

/** Every expression in the file that reaches the slot's storage. */
function accessesOf(slot: Slot, sf: ts.SourceFile): ts.Expression[] {
  const out: ts.Expression[] = [];
  if (slot.access === 'this') {
    if (ts.isClassLike(slot.host)) {
      for (const m of slot.host.members) ts.forEachChild(m, (c) => thisAccessesIn(c, slot.name, out));
    } else if (ts.isObjectLiteralExpression(slot.host)) {
      for (const prop of slot.host.properties) {
        const fn = ts.isPropertyAssignment(prop) ? unwrapExpression(prop.initializer) : prop;
        if (
          ts.isMethodDeclaration(fn) ||
          ts.isGetAccessorDeclaration(fn) ||
          ts.isSetAccessorDeclaration(fn) ||
          ts.isFunctionExpression(fn)
        ) {
          if (fn.body) thisAccessesIn(fn.body, slot.name, out);
        }
      }
      const alias = slot.alias;
      if (alias) {
        walkAst(sf, (n) => {
          if (
            ts.isPropertyAccessExpression(n) &&
            ts.isIdentifier(n.expression) &&
            n.expression.text === alias &&
            n.name.text === slot.name
          )
            out.push(n);
        });
      }
    }
    return out;
  }
  walkAst(slot.host, (n) => {
    if (isFunctionLike(n) && declaresName(n, slot.name) && !isAncestor(n, slot.declaration)) return false;
    if (ts.isIdentifier(n) && n.text === slot.name && isReference(n)) out.push(n);
    else if (ts.isShorthandPropertyAssignment(n) && n.name.text === slot.name) out.push(n.name);
    return true;
  });
  return out;
}

function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

// ---- members ------------------------------------------------------------------------------

/** The member of the owner an access sits in: a class member, an object literal property, a nested function's name. */
function memberOf(node: ts.Node, slot: Slot): string {
  let named: string | undefined;
  for (let n: ts.Node | undefined = node; n && n !== slot.host; n = n.parent) {
    if (ts.isConstructorDeclaration(n)) return 'constructor';
    if (
      (ts.isMethodDeclaration(n) ||
        ts.isGetAccessorDeclaration(n) ||
        ts.isSetAccessorDeclaration(n) ||
        ts.isPropertyDeclaration(n) ||
        ts.isPropertyAssignment(n)) &&
      n.parent &&
      (n.parent === slot.host || ts.isClassLike(n.parent) || ts.isObjectLiteralExpression(n.parent))
    ) {
      named = propertyNameText(n.name) ?? named;
      if (n.parent === slot.host) return named ?? '(anonymous)';
      continue;
    }
    if (ts.isFunctionDeclaration(n) && n.name) named ??= n.name.text;
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer &&
      (ts.isArrowFunction(unwrapExpression(n.initializer)) || ts.isFunctionExpression(unwrapExpression(n.initializer)))
    )
      named ??= n.name.text;
    if (ts.isSourceFile(n.parent ?? n)) return named ?? topLevelName(n) ?? '(module)';
  }
  return named ?? '(anonymous)';
}

function topLevelName(statement: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
    return statement.name.text;
  if (ts.isVariableStatement(statement)) {
    const d = statement.declarationList.declarations[0];
    if (d && ts.isIdentifier(d.name)) return d.name.text;
  }
  return undefined;
}

/** For module-level storage: the top-level declaration a member sits in (the finding goes there). */
function topLevelOwner(node: ts.Node, sf: ts.SourceFile): RegistryOwner | undefined {
  let n: ts.Node = node;
  while (n.parent && n.parent !== sf) n = n.parent;
  if (ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) return ownerOf(n);
  if (ts.isVariableStatement(n)) {
    for (const d of n.declarationList.declarations) {
      if (d.initializer && isAncestor(d, node))
        return (
          ownerOf(unwrapExpression(d.initializer)) ?? {
            node: d,
            name: propertyNameText(d.name) ?? '(anonymous)',
            kind: 'const-function',
          }
        );
    }
  }
  if (ts.isExportAssignment(n)) return ownerOf(unwrapExpression(n.expression));
  return undefined;
}

// ---- registration and dispatch ----------------------------------------------------------------

/** Where an expression leads when it holds the storage: a sub-collection by key, a copy, an alias. */
interface Reach {
  expr: ts.Expression;
  keyed: boolean;
}

const COPY_METHODS = new Set(['slice', 'values', 'concat', 'filter']);
const ITERATING_METHODS = new Set(['forEach', 'map', 'some', 'every', 'filter', 'find', 'flatMap', 'reduce']);
const ADDING_METHODS = new Set(['push', 'unshift', 'add']);

/**
 * Expressions that still denote the storage or a part of it, starting from an access: `s.get(k)`,
 * `s[k]`, `s.values()`, `[...s]`, `Array.from(s)`, `s ?? []`, and local variables bound to them.
 */
function reachesFrom(
  access: ts.Expression,
  sf: ts.SourceFile,
  kind: SlotKind,
  staticKeys: readonly string[] = [],
): Reach[] {
  const out: Reach[] = [];
  const seen = new Set<ts.Node>();
  const follow = (expr: ts.Expression, keyed: boolean, depth: number, top = true): void => {
    if (seen.has(expr) || depth > 10) return;
    seen.add(expr);
    // The outermost node that is still the same value: `(x)`, `x!`, `x as T`.
    let holder: ts.Expression = expr;
    while (
      holder.parent &&
      (ts.isParenthesizedExpression(holder.parent) ||
        ts.isNonNullExpression(holder.parent) ||
        ts.isAsExpression(holder.parent))
    ) {
      holder = holder.parent;
    }
    out.push({ expr: holder, keyed });
    const p = holder.parent;
    if (!p) return;
    // s.data for `{ data: [], end: [] }`: the list of one event.
    if (top && ts.isPropertyAccessExpression(p) && p.expression === holder && staticKeys.includes(p.name.text)) {
      follow(p, true, depth + 1, false);
      return;
    }
    // s.get(k) / s[k]: the sub-collection stored under a key.
    if (
      ts.isPropertyAccessExpression(p) &&
      p.expression === holder &&
      p.parent &&
      ts.isCallExpression(p.parent) &&
      p.parent.expression === p
    ) {
      const method = p.name.text;
      if (method === 'get') follow(p.parent, true, depth + 1, false);
      else if (COPY_METHODS.has(method)) follow(p.parent, keyed, depth + 1, top);
      return;
    }
    if (
      ts.isElementAccessExpression(p) &&
      p.expression === holder &&
      top &&
      (kind === 'record' || kind === 'unknown')
    ) {
      if (!isAssignmentTarget(p)) follow(p, true, depth + 1, false);
      // (s[k] ??= []).push(v)
      else if (isDefaultingAssignment(p.parent)) follow(p.parent as ts.Expression, true, depth + 1, false);
      return;
    }
    if (ts.isSpreadElement(p) && p.parent && ts.isArrayLiteralExpression(p.parent) && p.parent.elements.length === 1) {
      follow(p.parent, keyed, depth + 1, top);
      return;
    }
    if (
      ts.isCallExpression(p) &&
      p.arguments[0] === holder &&
      ts.isPropertyAccessExpression(p.expression) &&
      ts.isIdentifier(p.expression.expression) &&
      p.expression.expression.text === 'Array' &&
      p.expression.name.text === 'from'
    ) {
      follow(p, keyed, depth + 1, top);
      return;
    }
    if (
      ts.isBinaryExpression(p) &&
      p.left === holder &&
      (p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        p.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        p.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken)
    ) {
      follow(p, keyed, depth + 1, top);
      return;
    }
    // helper(list): a local function that takes the storage (or part of it) reaches it through its parameter.
    if (ts.isCallExpression(p) && p.arguments.includes(holder) && ts.isIdentifier(p.expression)) {
      const fn = localFunction(p.expression);
      const param = fn?.parameters[p.arguments.indexOf(holder)];
      if (fn && param && ts.isIdentifier(param.name)) {
        for (const ref of parameterReferences(fn, param.name.text)) follow(ref, keyed, depth + 1, top);
      }
      return;
    }
    // const list = <storage ...>: the local variable reaches it too.
    if (ts.isVariableDeclaration(p) && p.initializer === holder && ts.isIdentifier(p.name)) {
      for (const ref of localReferences(p, sf)) follow(ref, keyed, depth + 1, top);
      return;
    }
    // list = <storage ...> (a reassigned local).
    if (
      ts.isBinaryExpression(p) &&
      p.right === holder &&
      p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(p.left)
    ) {
      const decl = localDeclarationOf(p.left);
      if (decl) for (const ref of localReferences(decl, sf)) if (ref !== p.left) follow(ref, keyed, depth + 1, top);
    }
  };
  follow(access, false, 0);
  return out;
}

function isDefaultingAssignment(node: ts.Node | undefined): boolean {
  if (!node || !ts.isBinaryExpression(node)) return false;
  const op = node.operatorToken.kind;
  return op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken;
}

function isAssignmentTarget(node: ts.Node): boolean {
  const p = node.parent;
  return (
    !!p &&
    ts.isBinaryExpression(p) &&
    p.left === node &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/** The variable declaration an identifier refers to, searching the enclosing scopes by name. */
function localDeclarationOf(id: ts.Identifier): ts.VariableDeclaration | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isBlock(n) || ts.isSourceFile(n) || isFunctionLike(n)) {
      const found = variablesOf(n).get(id.text);
      if (found) return found;
    }
  }
  return undefined;
}

/** The variables a scope node declares directly (not in nested blocks or functions); computed once per node. */
const variablesByScope = new WeakMap<ts.Node, Map<string, ts.VariableDeclaration>>();

function variablesOf(scope: ts.Node): Map<string, ts.VariableDeclaration> {
  let map = variablesByScope.get(scope);
  if (!map) {
    const found = new Map<string, ts.VariableDeclaration>();
    walkAst(scope, (c) => {
      if (isFunctionLike(c) || ts.isBlock(c)) return false;
      if (ts.isVariableDeclaration(c) && ts.isIdentifier(c.name) && !found.has(c.name.text)) found.set(c.name.text, c);
      return true;
    });
    variablesByScope.set(scope, (map = found));
  }
  return map;
}

/** The function a local name is bound to (`const notify = (list) => ...`, `function notify(list)`). */
function localFunction(id: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
  const decl = localDeclarationOf(id);
  if (decl?.initializer) {
    const init = unwrapExpression(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isBlock(n) || ts.isSourceFile(n)) {
      const fn = n.statements.find(
        (st): st is ts.FunctionDeclaration => ts.isFunctionDeclaration(st) && st.name?.text === id.text,
      );
      if (fn) return fn;
    }
  }
  return undefined;
}

/** References to a parameter inside its function. */
function parameterReferences(fn: ts.FunctionLikeDeclaration, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  if (fn.body) {
    walkFrom(fn.body, (n) => {
      if (isFunctionLike(n) && declaresName(n, name)) return false;
      if (ts.isIdentifier(n) && n.text === name && isReference(n)) out.push(n);
      return true;
    });
  }
  return out;
}

/** References to a local variable inside its scope. */
function localReferences(decl: ts.VariableDeclaration, sf: ts.SourceFile): ts.Identifier[] {
  if (!ts.isIdentifier(decl.name)) return [];
  const name = decl.name.text;
  let scope: ts.Node = decl.parent;
  while (
    scope &&
    !(
      ts.isBlock(scope) ||
      ts.isSourceFile(scope) ||
      isFunctionLike(scope) ||
      ts.isForOfStatement(scope) ||
      ts.isForStatement(scope)
    )
  )
    scope = scope.parent;
  if (!scope) scope = sf;
  const out: ts.Identifier[] = [];
  walkAst(scope, (n) => {
    if (isFunctionLike(n) && declaresName(n, name)) return false;
    if (ts.isIdentifier(n) && n.text === name && n !== decl.name && isReference(n)) out.push(n);
    return true;
  });
  return out;
}

/** A registration at this reach: returns whether it stores by key, or undefined when it is none. */
function registrationAt(reach: Reach, kind: SlotKind): { keyed: boolean } | undefined {
  const e = reach.expr;
  const p = e.parent;
  if (!p) return undefined;
  if (
    ts.isPropertyAccessExpression(p) &&
    p.expression === e &&
    p.parent &&
    ts.isCallExpression(p.parent) &&
    p.parent.expression === p
  ) {
    const call = p.parent;
    const method = p.name.text;
    if (ADDING_METHODS.has(method) && call.arguments.some(suppliedByCaller)) return { keyed: reach.keyed };
    if (
      method === 'set' &&
      call.arguments.length >= 2 &&
      suppliedByCaller(call.arguments[1]!) &&
      !isRemoval(call.arguments[1]!)
    )
      return { keyed: true };
    if (method === 'splice' && call.arguments.slice(2).some(suppliedByCaller)) return { keyed: reach.keyed };
    return undefined;
  }
  // s[k] = v
  if (
    ts.isElementAccessExpression(p) &&
    p.expression === e &&
    isAssignmentTarget(p) &&
    (kind === 'record' || kind === 'unknown' || reach.keyed)
  ) {
    const assign = p.parent as ts.BinaryExpression;
    if (suppliedByCaller(assign.right) && !isCollectionExpression(assign.right)) return { keyed: true };
    return undefined;
  }
  // s = [...s, v] / s = s.concat(v) / s = [s, v]
  if (isAssignmentTarget(e) && reach.expr === e) {
    const right = unwrapExpression((p as ts.BinaryExpression).right);
    if (
      ts.isArrayLiteralExpression(right) &&
      right.elements.some((el) => !ts.isSpreadElement(el) && suppliedByCaller(el))
    )
      return { keyed: reach.keyed };
    if (
      ts.isCallExpression(right) &&
      ts.isPropertyAccessExpression(right.expression) &&
      right.expression.name.text === 'concat' &&
      right.arguments.some(suppliedByCaller)
    ) {
      return { keyed: reach.keyed };
    }
    if (
      ts.isObjectLiteralExpression(right) &&
      right.properties.some((pr) => ts.isPropertyAssignment(pr) && ts.isComputedPropertyName(pr.name))
    )
      return { keyed: true };
  }
  return undefined;
}

/**
 * A value that comes from the caller of the registering code: one of its parameters (a callback,
 * a listener object), a literal holding one (`{ fn, thisArg }`, `[...list, handler]`), something
 * computed from one (`handlers.flat()`), or a function that calls one. A value the code builds
 * from nothing of the caller's is its own state (a task, a cached object), not a registration.
 * A Promise executor's `resolve`/`reject` are no caller's callbacks: a table of them is pending
 * promises, not listeners.
 */
function suppliedByCaller(expr: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const e = unwrapExpression(expr);
  if (ts.isIdentifier(e)) {
    const param = parameterNamed(e);
    if (param) return !isPromiseExecutor(param.parent);
    const decl = localDeclarationOf(e);
    return !!decl?.initializer && suppliedByCaller(decl.initializer, depth + 1);
  }
  if (ts.isSpreadElement(e)) return suppliedByCaller(e.expression, depth + 1);
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some((p) =>
      ts.isShorthandPropertyAssignment(p)
        ? suppliedByCaller(p.name, depth + 1)
        : ts.isPropertyAssignment(p) &&
          !ts.isComputedPropertyName(p.name) &&
          suppliedByCaller(p.initializer, depth + 1),
    );
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((el) => suppliedByCaller(el, depth + 1));
  // new Set([handler])
  if (ts.isNewExpression(e)) return (e.arguments ?? []).some((a) => suppliedByCaller(a, depth + 1));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression))
    return suppliedByCaller(e.expression.expression, depth + 1);
  if (ts.isPropertyAccessExpression(e)) return false;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return callsAParameter(e);
  if (ts.isConditionalExpression(e))
    return suppliedByCaller(e.whenTrue, depth + 1) || suppliedByCaller(e.whenFalse, depth + 1);
  return false;
}

/** The parameter an identifier names, in the nearest enclosing function that has one of that name. */
function parameterNamed(id: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (isFunctionLike(n)) {
      for (const p of n.parameters) if (bindsName(p.name, id.text)) return p;
      if (n.body && ts.isBlock(n.body) && blockDeclares(n.body, id.text)) return undefined;
    }
  }
  return undefined;
}

function isPromiseExecutor(fn: ts.Node): boolean {
  const p = fn.parent;
  return !!p && ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Promise';
}

/** A function literal whose body calls a parameter of an enclosing function (a wrapped callback). */
function callsAParameter(fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  let found = false;
  walkFrom(fn.body, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n)) {
      let callee = unwrapExpression(n.expression);
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply'))
        callee = unwrapExpression(callee.expression);
      if (ts.isIdentifier(callee)) {
        const param = parameterNamed(callee);
        if (param && !isAncestor(fn, param) && !isPromiseExecutor(param.parent)) found = true;
      }
    }
    return true;
  });
  return found;
}

/** `list.filter(...)`: what stays after a removal, stored back. */
function isRemoval(expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'filter';
}

/** True when the storage is emptied at this reach (`clear()`, `= []`, `splice(0)`, `length = 0`). */
function emptiedAt(reach: Reach): boolean {
  const e = reach.expr;
  const p = e.parent;
  if (!p) return false;
  if (ts.isDeleteExpression(p) && reach.keyed) return true; // delete s[k]: the key's list taken out
  if (ts.isElementAccessExpression(p) && p.expression === e && p.parent && ts.isDeleteExpression(p.parent)) return true;
  if (ts.isPropertyAccessExpression(p) && p.expression === e) {
    if (p.name.text === 'clear' && p.parent && ts.isCallExpression(p.parent)) return true;
    if (p.name.text === 'length' && isAssignmentTarget(p)) return true;
    if (p.name.text === 'splice' && p.parent && ts.isCallExpression(p.parent) && p.parent.arguments.length === 1)
      return true;
  }
  if (isAssignmentTarget(e)) {
    const right = unwrapExpression((p as ts.BinaryExpression).right);
    if (isCollectionExpression(right) || (ts.isIdentifier(right) && right.text === 'undefined')) {
      return !(ts.isArrayLiteralExpression(right) && right.elements.length > 0);
    }
  }
  return false;
}

/** The loop or callback variable that holds one stored item, for an iteration over this reach. */
function itemBindings(reach: Reach): { item: ts.BindingName | ts.Expression; body: ts.Node; firstMatch?: boolean }[] {
  const e = reach.expr;
  const p = e.parent;
  if (!p) return [];
  if (ts.isForOfStatement(p) && p.expression === e) {
    const init = p.initializer;
    const decl = ts.isVariableDeclarationList(init) ? init.declarations[0]?.name : undefined;
    if (!decl) return [];
    // for (const [key, value] of map / map.entries()): the value is the item.
    if (ts.isArrayBindingPattern(decl)) {
      const second = decl.elements[1];
      return second && !ts.isOmittedExpression(second) ? [{ item: second.name, body: p.statement }] : [];
    }
    return [{ item: decl, body: p.statement }];
  }
  if (
    ts.isPropertyAccessExpression(p) &&
    p.expression === e &&
    ITERATING_METHODS.has(p.name.text) &&
    p.parent &&
    ts.isCallExpression(p.parent)
  ) {
    const cb = p.parent.arguments[0];
    const fn = cb && unwrapExpression(cb);
    if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
      const index = p.name.text === 'reduce' ? 1 : 0;
      const param = fn.parameters[index];
      const firstMatch = p.name.text === 'some' || p.name.text === 'find' || p.name.text === 'every';
      if (param) return [{ item: param.name, body: fn.body, ...(firstMatch ? { firstMatch } : {}) }];
    }
  }
  // for (let i = 0; i < s.length; i++) { s[i] ... }: the item is `s[i]`.
  if (ts.isPropertyAccessExpression(p) && p.expression === e && p.name.text === 'length') {
    let loop: ts.Node | undefined = p.parent;
    while (loop && !ts.isForStatement(loop) && !ts.isBlock(loop) && !ts.isSourceFile(loop)) loop = loop.parent;
    const header =
      loop && ts.isForStatement(loop)
        ? [loop.initializer, loop.condition].filter((x): x is ts.Expression | ts.VariableDeclarationList => !!x)
        : [];
    if (loop && ts.isForStatement(loop) && header.some((h) => isAncestor(h, p))) {
      const items: ts.Expression[] = [];
      walkFrom(loop.statement, (n) => {
        if (ts.isElementAccessExpression(n) && sameText(n.expression, e)) items.push(n);
      });
      const statement = loop.statement;
      return items.map((i) => ({ item: i, body: statement }));
    }
  }
  return [];
}

function sameText(a: ts.Node, b: ts.Node): boolean {
  const sf = a.getSourceFile();
  return a.getText(sf) === b.getText(sf);
}

/** Calls of a stored item in `body`: the item itself, or a property or method of it. */
function callsOfItem(
  binding: ts.BindingName | ts.Expression,
  body: ts.Node,
): { callee: 'self' | 'property'; property?: string; node: ts.CallExpression }[] {
  const out: { callee: 'self' | 'property'; property?: string; node: ts.CallExpression }[] = [];
  // Names bound to the item: the loop variable, or `{ listener }` destructured from it.
  const selfNames = new Set<string>();
  const propertyNames = new Map<string, string>();
  let itemText: string | undefined;
  if (ts.isIdentifier(binding)) selfNames.add(binding.text);
  else if (ts.isObjectBindingPattern(binding)) {
    for (const el of binding.elements) {
      const prop = propertyNameText(el.propertyName ?? el.name);
      if (prop && ts.isIdentifier(el.name)) propertyNames.set(el.name.text, prop);
    }
  } else if (!ts.isArrayBindingPattern(binding)) itemText = binding.getText();
  // `const x = s[i]` / `const { data } = s[i]`
  if (
    itemText !== undefined &&
    binding.parent &&
    ts.isVariableDeclaration(binding.parent) &&
    binding.parent.initializer === binding
  ) {
    const name = binding.parent.name;
    if (ts.isIdentifier(name)) selfNames.add(name.text);
    else if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const prop = propertyNameText(el.propertyName ?? el.name);
        if (prop && ts.isIdentifier(el.name)) propertyNames.set(el.name.text, prop);
      }
    }
  }
  const isItem = (e: ts.Expression): boolean =>
    (ts.isIdentifier(e) && selfNames.has(e.text)) || (itemText !== undefined && e.getText() === itemText);
  walkFrom(body, (n) => {
    if (ts.isCallExpression(n)) {
      let callee = unwrapExpression(n.expression);
      // x.call(...) / x.apply(...) / x.p.call(...)
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply'))
        callee = unwrapExpression(callee.expression);
      if (isItem(callee)) out.push({ callee: 'self', node: n });
      else {
        // item.p(...), item.p.q(...), or p(...) / p.q(...) for `{ p }` destructured from the item.
        const names: string[] = [];
        let root = callee;
        while (ts.isPropertyAccessExpression(root)) {
          names.unshift(root.name.text);
          root = unwrapExpression(root.expression);
        }
        if (names.length > 0 && isItem(root)) out.push({ callee: 'property', property: names.join('.'), node: n });
        else if (ts.isIdentifier(root) && propertyNames.has(root.text))
          out.push({ callee: 'property', property: [propertyNames.get(root.text)!, ...names].join('.'), node: n });
      }
    }
  });
  return out;
}

/**
 * True when a loop stops on what the called item returned: `const r = h(x); if (r) return r;`
 * (the first handler that answers wins), as a router or a chain of responsibility does.
 */
function stopsOnResult(call: ts.CallExpression, body: ts.Node): boolean {
  // The value of the call, through `await` and parentheses.
  let value: ts.Node = call;
  while (value.parent && (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)))
    value = value.parent;
  const parent = value.parent;
  if (!parent || ts.isExpressionStatement(parent)) return false;
  const names = new Set<string>();
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) names.add(parent.name.text);
  else if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(parent.left)
  )
    names.add(parent.left.text);
  let stops = false;
  const usesResult = (cond: ts.Node): boolean => {
    if (isAncestor(cond, call)) return true;
    let used = false;
    walkFrom(cond, (n) => {
      if (ts.isIdentifier(n) && names.has(n.text)) used = true;
      return !used;
    });
    return used;
  };
  walkFrom(body, (n) => {
    if (stops || isFunctionLike(n)) return false;
    if ((ts.isReturnStatement(n) && n.expression) || ts.isBreakStatement(n)) {
      for (let a: ts.Node | undefined = n.parent; a && a !== body.parent; a = a.parent) {
        if (ts.isIfStatement(a) && usesResult(a.expression)) stops = true;
      }
      if (ts.isReturnStatement(n) && n.expression && usesResult(n.expression)) stops = true;
    }
    return true;
  });
  return stops;
}

/** A dispatch of one item looked up by key: `s.get(k)?.(...)`, `s[k](...)`, or `const cb = s.get(k); cb(...)`. */
function oneCallsAt(reach: Reach): { callee: 'self' | 'property'; property?: string }[] {
  if (!reach.keyed) return [];
  const e = reach.expr;
  const p = e.parent;
  if (p && ts.isCallExpression(p) && p.expression === e) return [{ callee: 'self' }];
  if (p && ts.isPropertyAccessExpression(p) && p.expression === e) {
    const name = p.name.text;
    if ((name === 'call' || name === 'apply') && p.parent && ts.isCallExpression(p.parent)) return [{ callee: 'self' }];
    if (p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p && !COLLECTION_METHODS.has(name))
      return [{ callee: 'property', property: name }];
  }
  return [];
}

const COLLECTION_METHODS = new Set([
  'get',
  'set',
  'has',
  'delete',
  'add',
  'clear',
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'slice',
  'indexOf',
  'includes',
  'forEach',
  'map',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'reduce',
  'flatMap',
  'keys',
  'values',
  'entries',
  'concat',
  'join',
  'sort',
  'reverse',
  'at',
  'fill',
  'flat',
  'toString',
]);

/**
 * Does the item type say `property` holds a function (a stored callback) rather than a method? A
 * record type (type literal, interface, type alias) with a function-typed property holds one; a
 * method signature, or any member of a class instance, is a method of an object with behaviour.
 */
function propertyKindInType(
  item: ts.TypeNode | undefined,
  property: string,
  sf: ts.SourceFile,
  query?: PropertyKindQuery,
): 'function' | 'method' | undefined {
  if (!item) return undefined;
  const [head, ...rest] = property.split('.');
  const members = typeMembers(item, sf, 0);
  if (members && rest.length > 0) {
    // data.listener: the type of `data`, then its `listener`.
    const m = members.find((mm) => propertyNameText(mm.name) === head);
    return m && (ts.isPropertySignature(m) || ts.isPropertyDeclaration(m))
      ? propertyKindInType(m.type, rest.join('.'), sf, query)
      : undefined;
  }
  if (rest.length > 0) return undefined;
  if (members) {
    const m = members.find((mm) => propertyNameText(mm.name) === property);
    if (!m) return undefined;
    if (ts.isMethodSignature(m) || ts.isMethodDeclaration(m)) return 'method';
    if ((ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) && m.type)
      return isFunctionType(m.type, sf, 0) ? 'function' : undefined;
    return undefined;
  }
  if (ts.isTypeReferenceNode(item) && ts.isIdentifier(item.typeName) && localClassNamed(item.typeName.text, sf))
    return 'method';
  if (ts.isTypeReferenceNode(item) && query) return query(item.typeName, property, sf);
  return undefined;
}

/** Instances of a class of this file are objects with behaviour: their function properties are methods. */
function localClassNamed(name: string, sf: ts.SourceFile): boolean {
  let found = false;
  walkAst(sf, (n) => {
    if (found) return false;
    if (ts.isClassDeclaration(n) && n.name?.text === name) found = true;
    return ts.isBlock(n) || ts.isModuleBlock(n) || ts.isModuleDeclaration(n) || ts.isStatement(n) || isFunctionLike(n);
  });
  return found;
}

/** Members of a type written in this file (a type literal, a local interface or type alias). */
function typeMembers(
  type: ts.TypeNode,
  sf: ts.SourceFile,
  depth: number,
): readonly ts.TypeElement[] | readonly ts.ClassElement[] | undefined {
  if (depth > 4) return undefined;
  if (ts.isTypeLiteralNode(type)) return type.members;
  if (ts.isParenthesizedTypeNode(type)) return typeMembers(type.type, sf, depth + 1);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const local = localTypeDeclaration(type.typeName.text, sf);
    if (local && ts.isInterfaceDeclaration(local)) return local.members;
    if (local && ts.isTypeAliasDeclaration(local)) return typeMembers(local.type, sf, depth + 1);
  }
  return undefined;
}

function isFunctionType(type: ts.TypeNode, sf: ts.SourceFile, depth: number): boolean {
  if (depth > 4) return false;
  if (ts.isFunctionTypeNode(type)) return true;
  if (ts.isParenthesizedTypeNode(type)) return isFunctionType(type.type, sf, depth + 1);
  if (ts.isUnionTypeNode(type)) return type.types.some((t) => isFunctionType(t, sf, depth + 1));
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    if (type.typeName.text === 'Function') return true;
    const local = localTypeDeclaration(type.typeName.text, sf);
    if (local && ts.isTypeAliasDeclaration(local)) return isFunctionType(local.type, sf, depth + 1);
    if (local && ts.isInterfaceDeclaration(local)) return local.members.some(ts.isCallSignatureDeclaration);
  }
  if (ts.isIndexedAccessTypeNode(type)) {
    // StateChangeListener["callback"]
    const key = type.indexType;
    if (ts.isLiteralTypeNode(key) && ts.isStringLiteral(key.literal)) {
      const members = typeMembers(type.objectType, sf, depth + 1);
      const m = members?.find((mm) => propertyNameText(mm.name) === (key.literal as ts.StringLiteral).text);
      return (
        !!m &&
        (ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) &&
        !!m.type &&
        isFunctionType(m.type, sf, depth + 1)
      );
    }
  }
  return false;
}

const typeDeclarationCache = new WeakMap<
  ts.SourceFile,
  Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>
>();

/** An interface or type alias declared anywhere in the file under this name. */
function localTypeDeclaration(
  name: string,
  sf: ts.SourceFile,
): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  let map = typeDeclarationCache.get(sf);
  if (!map) {
    const m = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
    walkAst(sf, (n) => {
      if ((ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) && !m.has(n.name.text)) m.set(n.name.text, n);
      return (
        ts.isBlock(n) || ts.isModuleBlock(n) || ts.isModuleDeclaration(n) || isFunctionLike(n) || ts.isStatement(n)
      );
    });
    typeDeclarationCache.set(sf, (map = m));
  }
  return map.get(name);
}

/** What is stored, for `via` properties without a type: `{ fn, thisArg }` built from a parameter. */
function storedLiteralFunctionProperty(slotReaches: Reach[], property: string): boolean {
  for (const r of slotReaches) {
    const p = r.expr.parent;
    if (!p || !ts.isPropertyAccessExpression(p) || !p.parent || !ts.isCallExpression(p.parent)) continue;
    if (!ADDING_METHODS.has(p.name.text) && p.name.text !== 'set') continue;
    for (const arg of p.parent.arguments) {
      let value = unwrapExpression(arg);
      if (ts.isIdentifier(value)) {
        const decl = localDeclarationOf(value);
        if (decl?.initializer) value = unwrapExpression(decl.initializer);
      }
      if (!ts.isObjectLiteralExpression(value)) continue;
      for (const prop of value.properties) {
        if (propertyNameText(prop.name) !== property) continue;
        const v = ts.isShorthandPropertyAssignment(prop)
          ? prop.name
          : ts.isPropertyAssignment(prop)
            ? unwrapExpression(prop.initializer)
            : undefined;
        if (!v) continue;
        // A parameter stored as is: the caller's callback (a function literal here would be a method implementation).
        if (ts.isIdentifier(v) && isFunctionParameter(v)) return true;
      }
    }
  }
  return false;
}

/** An identifier that names a parameter typed as a function (or untyped) of an enclosing function. */
function isFunctionParameter(id: ts.Identifier): boolean {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (isFunctionLike(n)) {
      const p = n.parameters.find((pp) => ts.isIdentifier(pp.name) && pp.name.text === id.text);
      if (p) return !p.type || isFunctionType(p.type, id.getSourceFile(), 0);
    }
  }
  return false;
}

// ---- the analysis -----------------------------------------------------------------------------

/**
 * Every registry in a file: storage owned by a class, an object literal, a function or the module,
 * with the members that fill it and the members that invoke what it holds. `query` answers for
 * item types declared in another file (the detector asks the TypeScript checker); without it such
 * `item.property(...)` calls count as method calls. `undispatched` also returns storage that is
 * filled but not dispatched in the file (`dispatches` empty).
 */
export function findRegistries(
  sf: ts.SourceFile,
  query?: PropertyKindQuery,
  options: { undispatched?: boolean } = {},
): Registry[] {
  const out: Registry[] = [];
  // Pass 1: per slot, how it is reached, filled and dispatched.
  const analyses: SlotAnalysis[] = [];
  const slotOfAccess = new Map<ts.Node, SlotAnalysis>();
  for (const slot of collectSlots(sf)) {
    const accesses = accessesOf(slot, sf);
    if (accesses.length < 2) continue;
    const kind = slotKind(slot);
    const init = slot.initializer && unwrapExpression(slot.initializer);
    const staticKeys = init && ts.isObjectLiteralExpression(init) ? staticKeysOf(init) : [];
    const reaches = accesses.flatMap((a) => reachesFrom(a, sf, kind, staticKeys));
    const registers = new Set<string>();
    let keyed = false;
    for (const r of reaches) {
      const reg = registrationAt(r, kind);
      if (reg) {
        registers.add(memberOf(r.expr, slot));
        keyed ||= reg.keyed;
      }
    }
    const { item } = itemTypeOf(slot.type, slot.initializer);
    const dispatches: (Dispatch & { node: ts.Node })[] = [];
    const classify = (
      callee: 'self' | 'property',
      property: string | undefined,
    ): { method?: string; via?: string } | undefined => {
      if (callee === 'self' || property === undefined) return {};
      const kind = propertyKindInType(item, property, sf, query);
      if (kind === 'function' || (kind === undefined && storedLiteralFunctionProperty(reaches, property)))
        return { via: property };
      return { method: property };
    };
    const iterations: { binding: ts.BindingName | ts.Expression; body: ts.Node; member: string; node: ts.Node }[] = [];
    for (const r of reaches) {
      for (const { item: binding, body, firstMatch } of itemBindings(r)) {
        iterations.push({ binding, body, member: memberOf(r.expr, slot), node: r.expr });
        for (const call of callsOfItem(binding, body)) {
          const how = classify(call.callee, call.property);
          const mode: DispatchCall = firstMatch || stopsOnResult(call.node, body) ? 'first' : 'each';
          if (how) dispatches.push({ member: memberOf(call.node, slot), call: mode, ...how, node: r.expr });
        }
      }
      for (const one of oneCallsAt(r)) {
        const how = classify(one.callee, one.property);
        if (how) dispatches.push({ member: memberOf(r.expr, slot), call: 'one', ...how, node: r.expr });
      }
    }
    const analysis: SlotAnalysis = { slot, accesses, reaches, registers, keyed, dispatches, iterations };
    analyses.push(analysis);
    for (const a of accesses) slotOfAccess.set(a, analysis);
  }
  // Pass 2: items moved into another storage of the same owner and dispatched from there (a
  // delivery queue: `for (const l of listeners) queue.push({ l, event })`) are dispatched too.
  for (const a of analyses) {
    for (const it of a.iterations) {
      for (const flow of flowsOf(it.binding, it.body, slotOfAccess)) {
        if (flow.target === a || flow.target.slot.owner.node !== a.slot.owner.node) continue;
        for (const d of flow.target.dispatches) {
          const path = d.via ?? d.method;
          if (flow.property === undefined) {
            a.dispatches.push({ ...d, member: it.member, node: it.node });
          } else if (path?.startsWith(`${flow.property}.`)) {
            const rest = path.slice(flow.property.length + 1);
            a.dispatches.push({
              member: it.member,
              call: d.call,
              ...(d.via ? { via: rest } : { method: rest }),
              node: it.node,
            });
          } else if (path === flow.property && d.via) {
            a.dispatches.push({ member: it.member, call: d.call, node: it.node });
          }
        }
      }
    }
  }
  for (const { slot, accesses, reaches, registers, keyed, dispatches } of analyses) {
    // `undispatched`: storage its callers fill whose dispatch lives elsewhere (an abstract base class).
    if (registers.size === 0 || (dispatches.length === 0 && !options.undispatched)) continue;
    // One-shot: emptied in the very member that dispatches it (waiters resolved once).
    const emptiedIn = new Set(reaches.filter(emptiedAt).map((r) => memberOf(r.expr, slot)));
    const oneShot = dispatches.every(
      (d) => emptiedIn.has(d.member) || (d.call === 'one' && hasDeleteIn(reaches, d.member, slot)),
    );
    const unique = new Map<string, Dispatch & { node: ts.Node }>();
    for (const d of dispatches) unique.set(`${d.member}|${d.call}|${d.method ?? ''}|${d.via ?? ''}`, d);
    if (slot.owner.node === sf) {
      // Module-level storage: each top-level declaration that dispatches owns it, as far as a finding goes.
      const byOwner = new Map<ts.Node, { owner: RegistryOwner; dispatches: Dispatch[] }>();
      for (const d of unique.values()) {
        const owner = topLevelOwner(d.node, sf);
        if (!owner) continue;
        const entry = byOwner.get(owner.node) ?? { owner, dispatches: [] };
        entry.dispatches.push(strip(d));
        byOwner.set(owner.node, entry);
      }
      for (const { owner, dispatches: ds } of byOwner.values()) {
        const touchingHere = [
          ...new Set(accesses.filter((a) => topLevelOwner(a, sf)?.node === owner.node).map((a) => memberOf(a, slot))),
        ];
        out.push({
          owner,
          storage: slot.name,
          storageText: slotText(slot, sf),
          declaration: slot.declaration,
          keyed,
          registers: [...registers],
          dispatches: ds,
          touching: touchingHere,
          oneShot,
        });
      }
      continue;
    }
    const touching = [...new Set(accesses.map((a) => memberOf(a, slot)))];
    out.push({
      owner: slot.owner,
      storage: slot.name,
      storageText: slotText(slot, sf),
      declaration: slot.declaration,
      keyed,
      registers: [...registers],
      dispatches: [...unique.values()].map(strip),
      touching,
      oneShot,
    });
  }
  return out;
}

interface SlotAnalysis {
  slot: Slot;
  accesses: ts.Expression[];
  reaches: Reach[];
  registers: Set<string>;
  keyed: boolean;
  dispatches: (Dispatch & { node: ts.Node })[];
  iterations: { binding: ts.BindingName | ts.Expression; body: ts.Node; member: string; node: ts.Node }[];
}

/** Stores of the iterated item into another storage: `queue.push(item)` or `queue.push({ data: item })`. */
function flowsOf(
  binding: ts.BindingName | ts.Expression,
  body: ts.Node,
  slotOfAccess: Map<ts.Node, SlotAnalysis>,
): { target: SlotAnalysis; property?: string }[] {
  if (!ts.isIdentifier(binding)) return [];
  const name = binding.text;
  const out: { target: SlotAnalysis; property?: string }[] = [];
  walkFrom(body, (n) => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      ADDING_METHODS.has(n.expression.name.text)
    ) {
      let target: ts.Node = n.expression.expression;
      while (ts.isNonNullExpression(target) || ts.isParenthesizedExpression(target)) target = target.expression;
      const analysis = slotOfAccess.get(target);
      if (analysis) {
        for (const arg of n.arguments) {
          const e = unwrapExpression(arg);
          if (ts.isIdentifier(e) && e.text === name) out.push({ target: analysis });
          if (ts.isObjectLiteralExpression(e)) {
            for (const p of e.properties) {
              const value = ts.isShorthandPropertyAssignment(p)
                ? p.name
                : ts.isPropertyAssignment(p)
                  ? unwrapExpression(p.initializer)
                  : undefined;
              const key = propertyNameText(p.name);
              if (key && value && ts.isIdentifier(value) && value.text === name)
                out.push({ target: analysis, property: key });
            }
          }
        }
      }
    }
  });
  return out;
}

function strip(d: Dispatch & { node: ts.Node }): Dispatch {
  const { node: _node, ...rest } = d;
  return rest;
}

function hasDeleteIn(reaches: Reach[], member: string, slot: Slot): boolean {
  return reaches.some((r) => {
    const p = r.expr.parent;
    return (
      !!p &&
      ts.isPropertyAccessExpression(p) &&
      p.expression === r.expr &&
      p.name.text === 'delete' &&
      memberOf(r.expr, slot) === member
    );
  });
}

/** The members of a declaration that do something: methods, accessors and function-valued properties. */
export function behaviourMembers(owner: RegistryOwner): string[] {
  let node: ts.Node = owner.node;
  if (ts.isVariableDeclaration(node) && node.initializer) node = unwrapExpression(node.initializer);
  const fromObject = (obj: ts.ObjectLiteralExpression): string[] =>
    obj.properties
      .filter(
        (p) =>
          ts.isMethodDeclaration(p) ||
          ts.isGetAccessorDeclaration(p) ||
          ts.isSetAccessorDeclaration(p) ||
          (ts.isPropertyAssignment(p) && isFunctionValue(p.initializer)),
      )
      .map((p) => propertyNameText(p.name) ?? '(computed)');
  if (ts.isClassLike(node)) {
    return node.members
      .filter(
        (m) =>
          ts.isMethodDeclaration(m) ||
          ts.isGetAccessorDeclaration(m) ||
          ts.isSetAccessorDeclaration(m) ||
          (ts.isPropertyDeclaration(m) && !!m.initializer && isFunctionValue(m.initializer)),
      )
      .map((m) => propertyNameText(m.name) ?? '(computed)');
  }
  if (ts.isObjectLiteralExpression(node)) return fromObject(node);
  if (isFunctionLike(node) && node.body) {
    // A factory: what the object it returns can do.
    let returned: ts.ObjectLiteralExpression | undefined;
    walkFrom(node.body, (n) => {
      if (returned || isFunctionLike(n)) return false;
      if (ts.isReturnStatement(n) && n.expression && ts.isObjectLiteralExpression(unwrapExpression(n.expression)))
        returned = unwrapExpression(n.expression) as ts.ObjectLiteralExpression;
      return true;
    });
    return returned ? fromObject(returned) : [owner.name];
  }
  return [];
}

function isFunctionValue(expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}
