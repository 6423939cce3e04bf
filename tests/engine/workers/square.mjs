// A worker module for the pool tests, run from the built pool (real threads need plain JS).
import { isMainThread, threadId } from 'node:worker_threads';
import { defineWorker } from '../../../dist/src/engine/pool.js';

defineWorker(import.meta.url, (init) => (n) => {
  if (n === init.throwOn) throw new Error(`boom on ${n}`);
  // Only a helper exits: in the main thread this would end the test runner.
  if (init.helperExits && !isMainThread) process.exit(3);
  return { value: n * init.factor, thread: threadId };
});
