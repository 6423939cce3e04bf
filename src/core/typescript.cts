// TypeScript for the core. `import ts from './typescript.cjs'` gives TypeScript's module object
// with its own types; ./typescript-loader.cts loads it first (for start-up cost, see there) and
// registers it in require.cache, so the require('typescript') below finds that same instance.
import './typescript-loader.cjs';
import ts = require('typescript');
export = ts;
