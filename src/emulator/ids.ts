// Identifiers shaped like Kakao's: 24 lowercase hex digits (a Mongo-style object id).
import { randomBytes } from 'node:crypto';

let counter = randomBytes(3).readUIntBE(0, 3);

export function newObjectId(): string {
  counter = (counter + 1) % 0xffffff;
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `${seconds}${randomBytes(5).toString('hex')}${counter.toString(16).padStart(6, '0')}`;
}

/** An opaque bearer/refresh token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
