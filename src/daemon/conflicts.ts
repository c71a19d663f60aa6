// Conflicts of `manual` links wait for a person. The sync engine owns where they are kept; the
// daemon reaches them through this port (wired in sync-runner-factory.ts when the engine provides it).

export interface PendingConflict {
  linkId: string;
  sourceKey: string;
  at: string;
  detail: string;
}

export type ConflictChoice = 'source' | 'kakao';

export interface ConflictPort {
  list(userId: string, linkId?: string): Promise<PendingConflict[]>;
  /** Records the choice for the given items (or all of the link's); the next sync applies it. */
  resolve(
    userId: string,
    linkId: string,
    choice: ConflictChoice,
    sourceKeys: string[] | 'all',
  ): Promise<number>;
}
