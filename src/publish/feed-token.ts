import { createHash, randomBytes } from 'node:crypto';

// Feed tokens: 32 random bytes (256 bits) in base64url. Only their SHA-256 is stored, so a Redis
// dump does not hand out subscriptions, and a lookup by hash takes the same time for any token.

export const tokenBytes = 32;

export function newFeedToken(): string {
  return randomBytes(tokenBytes).toString('base64url');
}

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token's shape (43 base64url characters); anything else is answered 404 without a lookup. */
export function looksLikeFeedToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}
