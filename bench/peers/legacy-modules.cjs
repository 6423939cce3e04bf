// Shared by the peer scripts (ts-morph, plain jscodeshift): which modules of <dir>/ssot.config.json
// are legacy, read the way a user of those tools would hand-write it. Independent of ssot-kit's
// own code on purpose: a peer must not borrow the tool it is compared with.
const fs = require('node:fs');
const path = require('node:path');

/**
 * @param {string} dir corpus root holding ssot.config.json
 * @returns {{ packages: string[], inLegacy: (abs: string) => boolean }}
 */
function legacyModules(dir) {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'ssot.config.json'), 'utf8'));
  const files = [],
    folders = [],
    packages = [];
  for (const c of config.concepts)
    for (const l of c.legacy) {
      const abs = path.join(dir, l.module);
      if (fs.existsSync(abs)) (fs.statSync(abs).isDirectory() ? folders : files).push(abs);
      else packages.push(l.module);
    }
  // a package specifier's own sources count as the legacy module too
  const pkgDirs = [];
  for (const p of fs.existsSync(path.join(dir, 'packages')) ? fs.readdirSync(path.join(dir, 'packages')) : []) {
    const pj = path.join(dir, 'packages', p, 'package.json');
    if (fs.existsSync(pj) && packages.includes(JSON.parse(fs.readFileSync(pj, 'utf8')).name))
      pkgDirs.push(path.join(dir, 'packages', p));
  }
  const inLegacy = (abs) => files.includes(abs) || [...folders, ...pkgDirs].some((f) => abs.startsWith(f + path.sep));
  return { packages, inLegacy };
}

module.exports = { legacyModules };
