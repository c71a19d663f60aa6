import { mappingConflictPort } from './conflict-store.js';
import type { ConflictPort } from './conflicts.js';
import type { DaemonContext } from './context.js';

// Connects the daemon to the sync engine: conflicts of manual links, and (sync-runner.ts) the
// runner the workers call.

export function createConflictPort(ctx: DaemonContext): ConflictPort {
  return mappingConflictPort(ctx.redis, ctx.registry, ctx.config);
}
