// Writes schema/ssot.config.schema.json from the one definition in src/core/config/schema.ts.
// Run after `npm run build`; tests/core/config.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/src/core/config/schema.js';

const target = new URL('../schema/ssot.config.schema.json', import.meta.url);
writeFileSync(target, JSON.stringify(configSchema, null, 2) + '\n');
console.log(`wrote ${target.pathname}`);
