// Every test file's temp folders (tests/helpers: tempDir, makeProject, copyDemo, copyFixture) are
// removed after the file, whether or not the file calls cleanup() itself.
import { afterAll } from 'vitest';
import { cleanup } from './index.js';

afterAll(() => cleanup());
