// TypeScript, loaded with require(). An ESM `import ts from 'typescript'` makes Node run its
// CommonJS export scanner over the 9 MB typescript.js on every start, process and worker thread
// alike (about 0.5 s of CPU, measured). Re-exported through a CommonJS module whose
// `module.exports = ts` the scanner does not follow, the cost is gone; types are unchanged.
import ts = require('typescript');
export = ts;
