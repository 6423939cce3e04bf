// The core API the rules use, in one place (the rules are adapters over it).
export * from '../../src/core/index.js';
export { stripExtension as stripExtensionForSpecifier } from '../../src/core/resolve.js';
