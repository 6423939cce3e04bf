import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, copyDir, ensureBuilt, FIXTURES, ssotInProcess, tempDir } from '../helpers/index.js';

/**
 * What `ssot migrate` says about a file the type checker refuses in stage 1: one refused entry per
 * import site the rewrite would have moved, at that site (not at a type import of another name
 * before it), with every type error as its reason. Found on real code:
 * peers/peerjs-server@cfa79ac (src/messageHandler/index.ts: `import type { IHandlersRegistry }`
 * before `import { HandlersRegistry }`) and futureismeta/mml-react-space@c417b42 (one import, four
 * `registerRoute` calls the compat layer lacks, reported as three refused sites).
 */
beforeAll(() => ensureBuilt());
afterAll(() => cleanup());

function copyInput(name: string): string {
  const work = tempDir(name);
  copyDir(path.join(FIXTURES, name, 'input'), work);
  return work;
}

interface Refused {
  line: number;
  column: number;
  form: string;
  specifier: string;
  reason: string;
}

describe('stage-1 refusals by the type checker', () => {
  it('lists the refused import site once, with each type error in the reason', async () => {
    const work = copyInput('compat-refused-one-site-many-errors');
    const run = await ssotInProcess(['migrate', '--json', '.'], work);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as {
      files: { file: string; refused: Refused[]; kept: unknown[] }[];
      summary: { sitesRefused: number };
    };
    const file = out.files.find((f) => f.file === 'src/router/index.ts')!;
    expect(out.summary.sitesRefused).toBe(1);
    expect(file.refused).toHaveLength(1);
    const [site] = file.refused;
    expect([site!.line, site!.form, site!.specifier]).toEqual([2, 'import', './handler']);
    expect(site!.reason.match(/TS2339/g)).toHaveLength(3);
    expect(site!.reason).toMatch(/^10:8: .*registerRoute.*; 11:8: .*registerRoute.*; 14:17: .*handleMessage/);
  });

  it("names the importer that would break when the refused file's own rewrite compiles", async () => {
    const work = copyInput('compat-refused-importer-breaks');
    const run = await ssotInProcess(['migrate', '--json', '.'], work);
    const out = JSON.parse(run.stdout) as { files: { file: string; refused: Refused[] }[] };
    const refused = out.files.find((f) => f.file === 'src/router/index.ts')!.refused;
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatch(
      /src\/(routes|client)\.ts:\d+:\d+, which imports this file, would not type-check/,
    );
  });

  it("states the legacy router's own parameters when no compat shape fits (CambrianTech/continuum@bdf487d)", async () => {
    const work = copyInput('compat-refused-positional-handler');
    // A handler declaring two of the legacy (data, clientId, daemonConnector): not a (userId, socket, message) one.
    const handlers = path.join(work, 'src/handlers.ts');
    const ping =
      "  router.registerHandler('ping', async (_data: any, clientId: string) => ({ pong: true, clientId }));\n";
    fs.writeFileSync(handlers, fs.readFileSync(handlers, 'utf8').replace(/^}$/m, `${ping}}`));
    const run = await ssotInProcess(['migrate', '--json', '.'], work);
    const out = JSON.parse(run.stdout) as { files: { file: string; refused: Refused[] }[] };
    const [site] = out.files.find((f) => f.file === 'src/handlers.ts')!.refused;
    const said =
      /\d+:\d+: registerHandler\(\): the legacy router called this handler with \(any, string, DaemonConnector\)/g;
    expect(site!.reason.match(said)).toHaveLength(2);
    expect(site!.reason).not.toMatch(/declare \(userId, socket, message\)/);
  });
});
