// Public API of ssot-kit: the analysis core. The router lives at `ssot-kit/router`.
export * from './core/index.js';
