// The built `ssot` CLI's program (dist/src/cli/program.js, the code bin.js runs) inside this
// process: the same arguments, stdout, stderr and exit code as a child process, without starting
// Node and loading TypeScript again for each run. For the differential harness (one `ssot migrate`
// per project) and the tests (tests/helpers: ssotInProcess), where many runs are made and the
// process boundary is not what they look at.
//
// Runs one at a time: a run changes this process's working folder, environment and
// process.stdout/stderr/exit while it lasts, and puts them back after.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

class ExitCalled extends Error {
  constructor(code) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

let queue = Promise.resolve();

/**
 * Runs `ssot <args>` with the program next to `bin` (dist/src/cli/bin.js of some build) in `cwd`,
 * with `env` added to the environment. Resolves to { code, stdout, stderr }.
 */
export function runCliInProcess(bin, args, cwd, env = {}) {
  const next = queue.then(() => runOnce(bin, args, cwd, env));
  queue = next.catch(() => undefined);
  return next;
}

async function runOnce(bin, args, cwd, env) {
  const { createProgram } = await import(pathToFileURL(path.join(path.dirname(bin), 'program.js')).href);
  const out = [];
  const err = [];
  const saved = {
    cwd: process.cwd(),
    env: { ...process.env },
    exitCode: process.exitCode,
    exit: process.exit,
    stdout: process.stdout.write,
    stderr: process.stderr.write,
  };
  const capture =
    (into) =>
    (chunk, ...rest) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      rest.find((r) => typeof r === 'function')?.();
      return true;
    };
  let code;
  try {
    process.chdir(cwd);
    Object.assign(process.env, env);
    process.exitCode = undefined;
    process.exit = (c) => {
      throw new ExitCalled(c ?? 0);
    };
    process.stdout.write = capture(out);
    process.stderr.write = capture(err);
    await createProgram().parseAsync([process.execPath, bin, ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    if (!(error instanceof ExitCalled)) throw error;
    code = error.code;
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    process.chdir(saved.cwd);
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
