import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createMessageRouter as createCanonical,
  getDefaultRouter,
  resetDefaultRouter,
  type CanonicalMessageRouter,
} from '../../src/router/index.js';
import { fakeConnection } from './fakes.js';

// Importing compat must not warn; the module is imported lazily below to check exactly that.
type Compat = typeof import('../../src/router/compat.js');

const CLASSES = [
  'MessageRouter',
  'QualityMessageRouter',
  'WebSocketEventRouter',
  'UserScopedWebSocketEventRouter',
  'WebSocketBroadcastService',
] as const;
const METHODS = [
  'addHandler',
  'registerHandler',
  'removeHandler',
  'routeMessage',
  'registerConnection',
  'unregisterConnection',
  'broadcastToUser',
  'getStats',
] as const;

let warnings: Array<{ message: string; type: string | undefined; code: string | undefined }>;
let spy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  warnings = [];
  spy = vi.spyOn(process, 'emitWarning').mockImplementation(((
    message: string | Error,
    options?: { type?: string; code?: string },
  ) => {
    warnings.push({ message: String(message), type: options?.type, code: options?.code });
  }) as typeof process.emitWarning);
});

afterEach(() => {
  spy.mockRestore();
  resetDefaultRouter();
});

function construct(compat: Compat, name: (typeof CLASSES)[number], router?: CanonicalMessageRouter) {
  return name === 'UserScopedWebSocketEventRouter'
    ? new compat.UserScopedWebSocketEventRouter(undefined, router)
    : new compat[name](router);
}

describe('compat layer', () => {
  // Warnings are once per process, so the first-use checks live in one ordered test.
  it('importing emits nothing; each name warns exactly once, on first use, naming its replacement', async () => {
    const compat = await import('../../src/router/compat.js');
    expect(warnings).toEqual([]);
    expect(Object.keys(compat.COMPAT_REPLACEMENTS).length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);

    const router = createCanonical();
    const expected: Record<string, string> = {
      MessageRouter: 'SSOT_DEP_MESSAGE_ROUTER',
      QualityMessageRouter: 'SSOT_DEP_QUALITY_MESSAGE_ROUTER',
      WebSocketEventRouter: 'SSOT_DEP_WEB_SOCKET_EVENT_ROUTER',
      UserScopedWebSocketEventRouter: 'SSOT_DEP_USER_SCOPED_WEB_SOCKET_EVENT_ROUTER',
      WebSocketBroadcastService: 'SSOT_DEP_WEB_SOCKET_BROADCAST_SERVICE',
    };
    for (const name of CLASSES) {
      construct(compat, name, router);
      construct(compat, name, router);
      const mine = warnings.filter((w) => w.code === expected[name]);
      expect(mine, name).toHaveLength(1);
      expect(mine[0]?.type).toBe('DeprecationWarning');
      expect(mine[0]?.message).toContain(name);
      expect(mine[0]?.message).toContain(compat.COMPAT_REPLACEMENTS[name]!.name);
      expect(mine[0]?.message).toContain("'ssot-kit/router'");
    }
    expect(warnings).toHaveLength(5);

    await compat.broadcastToUser(router, 'u', { type: 'x' });
    await compat.broadcastToUser(router, 'u', { type: 'x' });
    compat.createMessageRouter();
    compat.createMessageRouter();
    compat.getMessageRouter();
    compat.getMessageRouter();
    const codes = warnings.map((w) => w.code);
    expect(codes.slice(5)).toEqual([
      'SSOT_DEP_BROADCAST_TO_USER',
      'SSOT_DEP_CREATE_MESSAGE_ROUTER',
      'SSOT_DEP_GET_MESSAGE_ROUTER',
    ]);
    expect(warnings[5]?.message).toContain('forUser(ctx).broadcast');
    expect(warnings[6]?.message).toMatch(/createMessageRouter from 'ssot-kit\/router'/);
    expect(warnings[7]?.message).toContain('getDefaultRouter');
  });

  it('really emits a process DeprecationWarning event, once per name (built output, fresh process)', async () => {
    const { existsSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const built = new URL('../../dist/src/router/compat.js', import.meta.url);
    // `npm test` builds first; without dist/ this check fails instead of passing silently.
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    const script = `
      const seen = [];
      process.on('warning', (w) => seen.push([w.name, w.code]));
      const c = await import(${JSON.stringify(built.href)});
      seen.push(['imported']);
      new c.MessageRouter(); new c.MessageRouter(); c.getMessageRouter(); c.getMessageRouter();
      await new Promise((r) => setImmediate(r));
      console.log(JSON.stringify(seen));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(JSON.parse(out)).toEqual([
      ['imported'],
      ['DeprecationWarning', 'SSOT_DEP_MESSAGE_ROUTER'],
      ['DeprecationWarning', 'SSOT_DEP_GET_MESSAGE_ROUTER'],
    ]);
  });

  for (const name of CLASSES) {
    it(`${name} delegates every legacy method to the one canonical router it wraps`, async () => {
      const compat = await import('../../src/router/compat.js');
      const router = createCanonical();
      const legacy = construct(compat, name, router);
      expect(legacy.canonical).toBe(router);

      // Handlers registered through the legacy API are visible to and run by the canonical router.
      const calls: string[] = [];
      const fn = (ctx: { userId: string }, m: { type: string }) => void calls.push(`fn:${ctx.userId}:${m.type}`);
      const obj = { handle: (ctx: { userId: string }, _m: unknown) => void calls.push(`obj:${ctx.userId}`) };
      const typeless = { canHandle: (t: string) => t === 'ping', handle: () => void calls.push('typeless') };
      legacy.addHandler('chat', fn);
      legacy.registerHandler('chat', obj);
      legacy.addHandler(typeless);
      expect(router.handlerCount()).toBe(3);
      const r1 = await legacy.routeMessage('alice', JSON.stringify({ type: 'chat' }));
      expect(r1).toMatchObject({ ok: true, handled: 2 });
      expect(await router.route({ userId: 'bob' }, { type: 'ping' })).toMatchObject({ ok: true, handled: 1 });
      expect(calls).toEqual(['fn:alice:chat', 'obj:alice', 'typeless']);
      expect(legacy.removeHandler('chat', fn)).toBe(true);
      expect(legacy.removeHandler(typeless)).toBe(true);
      expect(router.handlerCount()).toBe(1);

      // Connections registered through the legacy API are the canonical router's connections.
      const a = fakeConnection('a', 'alice');
      const b = fakeConnection('b', 'bob');
      expect(legacy.registerConnection(a)).toBe('a');
      router.register(b);
      expect(router.hasConnection('a')).toBe(true);
      expect(await legacy.broadcastToUser('alice', { type: 'note', payload: 1 })).toBe(1);
      expect(a.received.map((e) => e.type)).toEqual(['note']);
      expect(b.received).toEqual([]);
      expect(legacy.unregisterConnection('a')).toBe(true);
      expect(router.hasConnection('a')).toBe(false);
      expect(await legacy.broadcastToUser('alice', 'note', 2)).toBe(0);

      // Stats are the canonical router's stats.
      expect(legacy.getStats()).toEqual(router.stats());
      expect(legacy.getStats().messagesRouted).toBe(2);
    });
  }

  it('legacy routeMessage keeps isolation: a spoofed userId is rejected and counted', async () => {
    const compat = await import('../../src/router/compat.js');
    const legacy = new compat.MessageRouter(createCanonical());
    const handler = vi.fn();
    legacy.addHandler('chat', handler);
    const r = await legacy.routeMessage({ userId: 'mallory' }, { type: 'chat', payload: { userId: 'alice' } });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('ISOLATION_VIOLATION');
    expect(handler).not.toHaveBeenCalled();
    expect(legacy.getStats().isolationRejections).toBe(1);
  });

  it('legacy broadcastToUser counts only successful sends and legacy websocket-style connections work', async () => {
    const compat = await import('../../src/router/compat.js');
    const router = createCanonical();
    const svc = new compat.WebSocketBroadcastService(router);
    const frames: string[] = [];
    svc.registerConnection({
      connectionId: 'w1',
      userId: 'u',
      websocket: { readyState: 1, send: (d: string) => void frames.push(d) },
    });
    svc.registerConnection({ connectionId: 'w2', userId: 'u', websocket: { readyState: 3, send: () => {} } });
    svc.registerConnection(fakeConnection('bad', 'u', { mode: 'reject' }));
    expect(await svc.broadcastToUser('u', { type: 'n' })).toBe(1);
    expect(frames).toHaveLength(1);
    expect(router.stats()).toMatchObject({ failedSends: 1, connectionsDropped: 2 });
  });

  it('UserScopedWebSocketEventRouter bound to a user refuses to act for anyone else', async () => {
    const compat = await import('../../src/router/compat.js');
    const router = createCanonical();
    router.on('chat', () => {});
    const scoped = new compat.UserScopedWebSocketEventRouter({ userId: 'alice' }, router);
    await expect(scoped.broadcastToUser('bob', { type: 'n' })).rejects.toMatchObject({ code: 'ISOLATION_VIOLATION' });
    const r = await scoped.routeMessage('bob', { type: 'chat' });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/claims user "bob"/);
    expect(await scoped.routeMessage('alice', { type: 'chat' })).toMatchObject({ ok: true });
    expect(router.stats().isolationRejections).toBe(2);
  });

  it('functions share one router: getMessageRouter wraps the default router, same instance each call', async () => {
    const compat = await import('../../src/router/compat.js');
    const legacy = compat.getMessageRouter();
    expect(compat.getMessageRouter()).toBe(legacy);
    expect(legacy.canonical).toBe(getDefaultRouter());
    // A legacy class built without a router uses the same default router.
    const other = new compat.QualityMessageRouter();
    expect(other.canonical).toBe(getDefaultRouter());
    const conn = fakeConnection('c', 'u');
    other.registerConnection(conn);
    expect(await compat.broadcastToUser(legacy, 'u', { type: 'hi' })).toBe(1);
    expect(await compat.broadcastToUser(undefined, 'u', 'hi', { x: 1 })).toBe(1);
    expect(conn.received.map((e) => [e.type, e.payload])).toEqual([
      ['hi', undefined],
      ['hi', { x: 1 }],
    ]);
    // createMessageRouter gives a legacy wrapper over a fresh canonical router.
    const fresh = compat.createMessageRouter({ strictOrdering: false });
    expect(fresh.canonical).not.toBe(getDefaultRouter());
    expect(fresh.canonical.strictOrdering).toBe(false);
    // resetDefaultRouter gives getMessageRouter a new router.
    resetDefaultRouter();
    expect(compat.getMessageRouter().canonical).not.toBe(legacy.canonical);
  });

  it('COMPAT_REPLACEMENTS maps every export and every legacy method to ssot-kit/router', async () => {
    const compat = await import('../../src/router/compat.js');
    const table = compat.COMPAT_REPLACEMENTS;
    const runtimeExports = Object.keys(compat).filter((k) => k !== 'COMPAT_REPLACEMENTS');
    for (const name of runtimeExports) expect(table[name], name).toBeDefined();
    for (const cls of CLASSES) {
      expect(table[cls]).toBeDefined();
      for (const m of METHODS) expect(table[`${cls}#${m}`], `${cls}#${m}`).toBeDefined();
    }
    for (const entry of Object.values(table)) expect(entry.module).toBe('ssot-kit/router');
    expect(table['MessageRouter']?.name).toBe('CanonicalMessageRouter');
    expect(table['MessageRouter#addHandler']?.name).toBe('on');
    expect(table['MessageRouter#registerHandler']?.name).toBe('on');
    expect(table['MessageRouter#routeMessage']?.name).toBe('route');
    expect(table['WebSocketBroadcastService#broadcastToUser']?.name).toMatch(/^forUser\(ctx\)\./);
    // Every name it points at (its first segment) exists in the canonical module.
    const canonical = (await import('../../src/router/index.js')) as Record<string, unknown>;
    const routerProto = Object.getOwnPropertyNames(Object.getPrototypeOf(createCanonical()));
    for (const [key, entry] of Object.entries(table)) {
      const head = entry.name.split(/[(.]/)[0]!;
      expect(head in canonical || routerProto.includes(head), `${key} -> ${entry.name}`).toBe(true);
    }
  });
});

describe('legacy call shapes that older modules used', () => {
  it('a legacy constructor called with options shares the process-wide router', async () => {
    const compat = await import('../../src/router/compat.js');
    const legacy = new compat.QualityMessageRouter({ maxConnectionsPerUser: 4, strictOrdering: false });
    expect(legacy.canonical).toBe(getDefaultRouter());
    expect(legacy.canonical.strictOrdering).toBe(false);
    const other = new compat.MessageRouter({ somethingElse: true });
    expect(other.canonical).toBe(legacy.canonical);
  });

  it('broadcastToUser(userId, event) sends through the process-wide router; (router, userId, event) through that router', async () => {
    const compat = await import('../../src/router/compat.js');
    const shared = getDefaultRouter();
    const a = fakeConnection('a1', 'alice');
    const b = fakeConnection('b1', 'bob');
    shared.register(a);
    shared.register(b);
    expect(await compat.broadcastToUser('alice', { type: 'presence', payload: { online: true } })).toBe(1);
    expect(a.received).toHaveLength(1);
    expect(b.received).toHaveLength(0);

    const own = createCanonical();
    const c = fakeConnection('c1', 'alice');
    own.register(c);
    expect(await compat.broadcastToUser(own, 'alice', 'presence', { online: false })).toBe(1);
    expect(c.received).toHaveLength(1);
    expect(a.received).toHaveLength(1);
  });
});

describe('legacy handler shapes', () => {
  const shapes = '(message), (ctx, message), (userId, socket, message), userIdHandler((userId, message))';
  it(`calls each shape with what it declares: ${shapes}`, async () => {
    const compat = await import('../../src/router/compat.js');
    const router = createCanonical();
    const legacy = new compat.WebSocketEventRouter(router);
    const seen: unknown[][] = [];
    const frames: string[] = [];
    // The legacy code's own connection object: the socket handlers get this very object back.
    const socket = { id: 'c1', userId: 'alice', label: 'legacy-socket', send: (d: string) => void frames.push(d) };
    legacy.registerConnection(socket);
    const onlyMessage = (message: { type: string }) => void seen.push(['message', message.type]);
    const withContext = (ctx: { userId: string; connectionId?: string }, message: { type: string }) =>
      void seen.push(['context', ctx.userId, ctx.connectionId, message.type]);
    const withSocket = (userId: string, s: typeof socket | undefined, message: { type: string }) => {
      seen.push(['socket', userId, s?.label, message.type]);
      s?.send('reply');
    };
    const withUserId = (userId: string, message: { type: string }) => void seen.push(['userId', userId, message.type]);
    legacy.addHandler('a', onlyMessage);
    legacy.addHandler('b', withContext);
    legacy.addHandler('c', withSocket);
    legacy.addHandler('d', compat.userIdHandler(withUserId));
    legacy.addHandler('e', { handle: (message: { type: string }) => void seen.push(['object-message', message.type]) });
    legacy.addHandler({
      canHandle: (t: string) => t === 'f',
      handle: (userId: string, s: typeof socket | undefined, _m: unknown) =>
        void seen.push(['object-socket', userId, s?.label]),
    });
    for (const type of ['a', 'b', 'c', 'd', 'e', 'f']) {
      expect(
        await legacy.routeMessage({ userId: 'alice', connectionId: 'c1' }, JSON.stringify({ type })),
        type,
      ).toMatchObject({ ok: true, handled: 1 });
    }
    expect(seen).toEqual([
      ['message', 'a'],
      ['context', 'alice', 'c1', 'b'],
      ['socket', 'alice', 'legacy-socket', 'c'],
      ['userId', 'alice', 'd'],
      ['object-message', 'e'],
      ['object-socket', 'alice', 'legacy-socket'],
    ]);
    expect(frames).toEqual(['reply']);
    // A message routed by user id alone has no connection: the socket is undefined.
    await legacy.routeMessage('alice', { type: 'c' });
    expect(seen.at(-1)).toEqual(['socket', 'alice', undefined, 'c']);
    // removeHandler finds what addHandler registered, whatever the shape (one adapter per handler).
    expect(legacy.removeHandler('a', onlyMessage)).toBe(true);
    expect(legacy.removeHandler('c', withSocket)).toBe(true);
    expect(legacy.removeHandler('d', compat.userIdHandler(withUserId))).toBe(true);
    expect(legacy.removeHandler('b', withContext)).toBe(true);
    expect(router.handlerCount()).toBe(2);
  });

  it('a socket handler of a websocket-style connection gets the websocket', async () => {
    const compat = await import('../../src/router/compat.js');
    const legacy = new compat.MessageRouter(createCanonical());
    const ws = { readyState: 1, send: (_d: string) => undefined };
    legacy.registerConnection({ connectionId: 'w', userId: 'u', websocket: ws });
    let got: unknown;
    legacy.addHandler('x', (_userId: string, socket: unknown, _m: unknown) => void (got = socket));
    await legacy.routeMessage({ userId: 'u', connectionId: 'w' }, { type: 'x' });
    expect(got).toBe(ws);
  });
});
