// The states a user can be in: syncing, waiting for the user to reconnect Kakao, or paused.
export const userStates = ['active', 'needs_reauth', 'paused'] as const;
export type UserState = (typeof userStates)[number];
