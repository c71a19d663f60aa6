// Every Redis key the registry writes. Per-user keys carry the `{userId}` hash tag so that all of a
// user's keys live in one Redis Cluster slot; the user index is one key of its own.

export interface RegistryKeys {
  /** Set of every registered user id. */
  users(): string;
  /** Sorted set of every user id, all scored 0: ordered by id, so listings page by "ids after X". */
  usersById(): string;
  /** Set of the ids of users in one state (kept with every state change; counts without a scan). */
  usersInState(state: string): string;
  /** String: set once the per-state sets have been built from the user hashes. */
  stateIndexBuilt(): string;
  /** Hash: the user's profile, state and sealed tokens. */
  user(userId: string): string;
  /** Hash: linkId → link JSON (credentials sealed). */
  links(userId: string): string;
  /** Hash: linkId → JSON {calendarId, name} of a removed link's sub-calendar left in Talk Calendar. */
  leftCalendars(userId: string): string;
  /** String: JSON of the last sync run's result. */
  lastRun(userId: string): string;
  /** Hash: linkId → JSON status of that link in the last run. */
  linkStatus(userId: string): string;
  /** String with TTL: a pending OAuth `state` of the connect flow (single use). */
  oauthState(state: string): string;
}

export function registryKeys(prefix: string): RegistryKeys {
  const u = (userId: string) => `${prefix}:user:{${userId}}`;
  return {
    users: () => `${prefix}:users`,
    usersById: () => `${prefix}:users:by-id`,
    usersInState: (state) => `${prefix}:users:state:${state}`,
    stateIndexBuilt: () => `${prefix}:users:state-index`,
    user: u,
    links: (userId) => `${u(userId)}:links`,
    leftCalendars: (userId) => `${u(userId)}:left-calendars`,
    lastRun: (userId) => `${u(userId)}:last-run`,
    linkStatus: (userId) => `${u(userId)}:link-status`,
    oauthState: (state) => `${prefix}:oauth-state:${state}`,
  };
}
