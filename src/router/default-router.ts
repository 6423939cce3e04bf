// The one process-wide router, for code that cannot be handed a router (legacy singletons,
// `getMessageRouter()`). Everything else should create and pass its own router.

import { CanonicalMessageRouter } from './router.js';
import type { RouterOptions } from './types.js';

let defaultRouter: CanonicalMessageRouter | undefined;

/** Returns the process-wide router, creating it (with `options`) on first use. */
export function getDefaultRouter(options?: RouterOptions): CanonicalMessageRouter {
  defaultRouter ??= new CanonicalMessageRouter(options);
  return defaultRouter;
}

/** Replaces the process-wide router (e.g. to share one you configured). */
export function setDefaultRouter(router: CanonicalMessageRouter): void {
  defaultRouter = router;
}

/** For tests: closes and forgets the process-wide router so the next call creates a fresh one. */
export function resetDefaultRouter(): void {
  defaultRouter?.close();
  defaultRouter = undefined;
}
