// Run one child process and measure it.
//
// - wall: performance.now() around the child (spawn → exit), in the harness.
// - cpu (user+sys) and maxRssKb: GNU time (`/usr/bin/time -f ... -o <file>`), i.e. wait4() rusage of
//   the child including its waited-for descendants. ru_maxrss is the peak of the LARGEST single
//   process in that tree, not a sum.
// - treePeakKb: the harness samples /proc every `sampleMs` (default 50 ms) and sums VmRSS of the
//   whole process tree (e.g. jscodeshift's workers, eslint --concurrency workers); a sampled peak,
//   so short spikes can be missed. Without /usr/bin/time, cpu is taken from the last /proc sample
//   (utime+stime of the tree) and maxRssKb from the sampler.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

export const TIME_BIN = '/usr/bin/time';
export const HAS_GNU_TIME = (() => {
  try {
    fs.accessSync(TIME_BIN, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();
const HAS_PROC = fs.existsSync('/proc/self/stat');
const PAGE_KB = 4; // x86-64 Linux page size in KiB
const CLK_TCK = 100;

function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3); ppid = field 4; utime 14, stime 15, cutime 16, cstime 17; rss 24
    return { ppid: +rest[1], utime: +rest[11], stime: +rest[12], rss: +rest[21] };
  } catch {
    return undefined;
  }
}

function sampleTree(rootPid) {
  const stats = new Map();
  for (const e of fs.readdirSync('/proc')) {
    const c = e.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const st = readStat(e);
    if (st) stats.set(+e, st);
  }
  const children = new Map();
  for (const [pid, st] of stats) {
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(pid);
  }
  let rssKb = 0,
    cpuTicks = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    const st = stats.get(pid);
    if (st) {
      rssKb += st.rss * PAGE_KB;
      cpuTicks += st.utime + st.stime;
    }
    for (const k of children.get(pid) ?? []) stack.push(k);
  }
  return { rssKb, cpuTicks };
}

/**
 * @returns {Promise<{ wallS, cpuS, userS, sysS, maxRssKb, treePeakKb, code, signal, stdout, stderr, method }>}
 */
export function measure(
  cmd,
  args,
  { cwd, env, sampleMs = 50, timeoutMs = 30 * 60_000, maxBuffer = 256 * 1024 * 1024 } = {},
) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(
      os.tmpdir(),
      `ssot-bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    const argv = HAS_GNU_TIME ? ['-f', '%e %U %S %M %x', '-o', timeFile, cmd, ...args] : args;
    const bin = HAS_GNU_TIME ? TIME_BIN : cmd;
    const t0 = performance.now();
    const child = spawn(bin, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [],
      err = [];
    let outLen = 0,
      errLen = 0;
    child.stdout.on('data', (b) => {
      if (outLen < maxBuffer) {
        out.push(b);
        outLen += b.length;
      }
    });
    child.stderr.on('data', (b) => {
      if (errLen < 1024 * 1024) {
        err.push(b);
        errLen += b.length;
      }
    });
    let treePeakKb = 0,
      lastCpuTicks = 0;
    const sample = () => {
      if (!HAS_PROC || child.pid === undefined) return;
      const s = sampleTree(child.pid);
      if (s.rssKb > treePeakKb) treePeakKb = s.rssKb;
      if (s.cpuTicks > lastCpuTicks) lastCpuTicks = s.cpuTicks;
    };
    const timer = setInterval(sample, sampleMs);
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearInterval(timer);
      clearTimeout(killer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallS = (performance.now() - t0) / 1000;
      clearInterval(timer);
      clearTimeout(killer);
      const res = {
        wallS,
        treePeakKb,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (HAS_GNU_TIME) {
        let line = '';
        try {
          line = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop();
          fs.rmSync(timeFile, { force: true });
        } catch {
          /* killed */
        }
        const [, u, s, m, x] = line.split(' ').map(Number);
        Object.assign(res, { userS: u, sysS: s, cpuS: u + s, maxRssKb: m, method: 'gnu-time+proc-sampler' });
        if (Number.isFinite(x)) res.code = x; // the child's own exit status
      } else {
        Object.assign(res, {
          userS: NaN,
          sysS: NaN,
          cpuS: lastCpuTicks / CLK_TCK,
          maxRssKb: treePeakKb,
          method: 'proc-sampler',
        });
      }
      resolve(res);
    });
  });
}

export function median(xs) {
  const a = xs.filter((x) => Number.isFinite(x)).sort((p, q) => p - q);
  if (!a.length) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}
