// Under test, the core's `./typescript.cjs` (src/core/typescript.cts, which Vite does not compile)
// resolves to this file (vitest.config.ts). Node loads it as CommonJS (a dependency the config
// externalizes), so TypeScript comes through require(): an ESM import of typescript.js itself makes
// Node scan all of it for export names first, in every test file that reaches the core.
module.exports = require('typescript');
