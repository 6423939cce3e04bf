import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config/load.js';
import { analyzeFile, createAnalysisContext } from '../../src/core/analyze.js';
import { describeSignal } from '../../src/core/detect.js';
import type { DuplicateFinding } from '../../src/core/types.js';

const root = '/virtual/repo';
const config = resolveConfig(
  {
    concepts: [
      {
        id: 'router',
        preset: 'message-router',
        canonical: { files: ['src/canonical/**'] },
        allow: ['src/tests/fakes/**'],
      },
    ],
  },
  root,
);
const ctx = createAnalysisContext(config);

function dups(text: string, rel = 'src/x.ts'): DuplicateFinding[] {
  return analyzeFile(ctx, path.join(root, rel), text).duplicates;
}

function signals(text: string, rel?: string): string[][] {
  return dups(text, rel).map((d) => [d.symbol, ...d.signals.map((s) => s.kind)]);
}

describe('duplicate detection, by signal', () => {
  it('name: classes, functions, const-bound functions and objects that match a pattern', () => {
    expect(signals(`export class MessageRouter {}`)).toEqual([['MessageRouter', 'name']]);
    expect(signals(`export function broadcastToUser(u: string) { return 0; }`)).toEqual([['broadcastToUser', 'name']]);
    expect(signals(`export const broadcastToUser = (u: string) => 0;`)).toEqual([['broadcastToUser', 'name']]);
    expect(signals(`const QualityMessageRouter = { route() {} };`)).toEqual([['QualityMessageRouter', 'name']]);
    // The preset's regex catches renames that keep the suffix.
    expect(signals(`class ChatMessageRouter {}`)).toEqual([['ChatMessageRouter', 'name']]);
  });

  it('name: interfaces, types, methods and mere mentions never count', () => {
    expect(signals(`export interface MessageRouter { route(): void }`)).toEqual([]);
    expect(signals(`type WebSocketEventRouter = { a: 1 };`)).toEqual([]);
    expect(signals(`class Hub { broadcastToUser() {} }`)).toEqual([]);
    expect(signals(`// class MessageRouter {}\nconst s = 'class MessageRouter {}';\nfunction f(){ return MessageRouter; }`)).toEqual([]);
    expect(signals(`declare function broadcastToUser(u: string): number;`)).toEqual([]);
  });

  it('canonical-name: a second definition of the canonical name itself', () => {
    const found = dups(`export class CanonicalMessageRouter {}`);
    expect(found.map((d) => d.signals)).toEqual([[{ kind: 'canonical-name', name: 'CanonicalMessageRouter' }]]);
  });

  it('shape: enough of the concept members under an unrelated name, in classes and object literals', () => {
    const cls = dups(`class Dispatcher { addHandler() {} routeMessage() {} registerConnection() {} getStats() {} other() {} }`);
    expect(cls).toHaveLength(1);
    expect(cls[0]!.signals).toEqual([
      { kind: 'shape', matched: ['addHandler', 'routeMessage', 'registerConnection', 'getStats'], total: 8, required: 4 },
    ]);
    expect(describeSignal(cls[0]!.signals[0]!)).toBe('shares 4 of 8 members: addHandler, routeMessage, registerConnection, getStats');
    const obj = dups(`export const hub = { registerHandler() {}, routeMessage: () => 1, registerConnection, 'unregisterConnection': 1 };`);
    expect(obj.map((d) => [d.symbol, d.declarationKind, d.signals[0]!.kind])).toEqual([['hub', 'const-object', 'shape']]);
  });

  it('shape: three members are not enough, and look-alikes stay clean', () => {
    expect(signals(`class Partial { addHandler() {} routeMessage() {} getStats() {} }`)).toEqual([]);
    expect(signals(`class HttpRouter { get() {} post() {} use() {} handle() {} }`)).toEqual([]);
    expect(signals(`class Notifier { notifyUser() {} getStats() {} send() {} }`)).toEqual([]);
  });

  it('heritage: extends or implements a legacy or canonical type, also through an import alias', () => {
    expect(signals(`class Mine extends MessageRouter {}`)).toEqual([['Mine', 'heritage']]);
    expect(signals(`import { CanonicalMessageRouter as Base } from 'ssot-kit/router';\nclass Mine extends Base {}`)).toEqual([['Mine', 'heritage']]);
    expect(signals(`import * as r from 'ssot-kit/router/compat';\nclass Mine implements r.WebSocketEventRouter {}`)).toEqual([['Mine', 'heritage']]);
    expect(signals(`class Mine extends EventEmitter implements Disposable {}`)).toEqual([]);
  });

  it('canonical files and allowed files may define the concept', () => {
    expect(signals(`export class MessageRouter {}`, 'src/canonical/router.ts')).toEqual([]);
    expect(signals(`export class MessageRouter {}`, 'src/tests/fakes/router.ts')).toEqual([]);
  });

  it('anonymous and nested declarations are found', () => {
    expect(signals(`export default class { addHandler(){} routeMessage(){} registerConnection(){} broadcastToUser(){} }`)).toEqual([['default', 'shape']]);
    expect(signals(`function setup() { function broadcastToUser() {} return broadcastToUser; }`)).toEqual([['broadcastToUser', 'name']]);
    expect(signals(`const R = class extends MessageRouter {};`)).toEqual([['R', 'heritage']]);
  });
});

describe('fingerprints', () => {
  const base = `class Dispatcher {\n  addHandler() {}\n  routeMessage() {}\n  registerConnection() {}\n  getStats() {}\n}`;
  const fp = (text: string, rel?: string) => dups(text, rel)[0]!.fingerprint;

  it('do not change when lines are added above or when layout, comments or line endings change', () => {
    expect(fp(`import x from 'y';\n\n\n${base}`)).toBe(fp(base));
    expect(fp(base.replace(/\n/g, '\r\n'))).toBe(fp(base));
    expect(fp(base.replace('addHandler() {}', 'addHandler() { /* why */ }'))).toBe(fp(base));
  });

  it('change when the code, the symbol or the file changes', () => {
    expect(fp(base.replace('getStats() {}', 'getStats() { return 1; }'))).not.toBe(fp(base));
    expect(fp(base.replace('Dispatcher', 'Dispatcher2'))).not.toBe(fp(base));
    expect(fp(base, 'src/y.ts')).not.toBe(fp(base));
  });
});
