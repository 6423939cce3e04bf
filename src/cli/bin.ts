#!/usr/bin/env node
import { saveCompileCache } from '../core/typescript-loader.cjs';
import { createProgram } from './program.js';

await createProgram().parseAsync(process.argv);
// After the work, so the code cache holds what this run compiled (see core/typescript-loader.cts).
saveCompileCache();
