import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, generateSecretKeySpec, parseSecretKeys } from '../../../src/registry/crypto.js';
import {
  DecryptionError,
  SecretKeyConfigError,
  SecretKeyMissingError,
} from '../../../src/registry/errors.js';

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;

describe('secret box (AES-256-GCM)', () => {
  it('round-trips any string and never contains the plaintext', () => {
    const box = createSecretBox({ secretKeys: k1, activeKeyId: '' });
    fc.assert(
      // ':' never occurs in the sealed alphabet, so a leak of the plaintext would show.
      fc.property(fc.string(), (s) => {
        const plain = `secret:${s}`;
        const sealed = box.seal(plain, 'user:1');
        expect(box.open(sealed, 'user:1')).toBe(plain);
        expect(sealed.includes(plain)).toBe(false);
      }),
    );
  });

  it('seals the same plaintext differently each time (random IV)', () => {
    const box = createSecretBox({ secretKeys: k1, activeKeyId: '' });
    expect(box.seal('token-abc')).not.toBe(box.seal('token-abc'));
  });

  it('refuses a ciphertext moved to another owner (associated data)', () => {
    const box = createSecretBox({ secretKeys: k1, activeKeyId: '' });
    const sealed = box.seal('access-token-123', 'user:alice');
    expect(() => box.open(sealed, 'user:bob')).toThrow(DecryptionError);
  });

  it('refuses a tampered ciphertext', () => {
    const box = createSecretBox({ secretKeys: k1, activeKeyId: '' });
    const sealed = box.seal('access-token-123');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(DecryptionError);
  });

  it('rotates: a box with both keys opens old values and seals new ones with the active key', () => {
    const old = createSecretBox({ secretKeys: k1, activeKeyId: '' });
    const sealedOld = old.seal('refresh-1');
    const rotated = createSecretBox({ secretKeys: `${k1},${k2}`, activeKeyId: 'k2' });
    expect(rotated.open(sealedOld)).toBe('refresh-1');
    expect(rotated.keyIdOf(sealedOld)).toBe('k1');
    expect(rotated.keyIdOf(rotated.seal('x'))).toBe('k2');
    const withoutOld = createSecretBox({ secretKeys: k2, activeKeyId: '' });
    expect(() => withoutOld.open(sealedOld)).toThrow(/key "k1", which is not configured/);
  });

  it('rejects malformed key specs with a clear error', () => {
    expect(() => parseSecretKeys('nokid')).toThrow(SecretKeyConfigError);
    expect(() => parseSecretKeys(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseSecretKeys(`${k1},${k1}`)).toThrow(/twice/);
    expect(() => createSecretBox({ secretKeys: k1, activeKeyId: 'k9' })).toThrow(/activeKeyId/);
    expect(parseSecretKeys(generateSecretKeySpec('new')).get('new')?.length).toBe(32);
  });

  it('refuses to work without a configured key, naming TALKCAL_SECRET_KEY and how to make one', () => {
    for (const secretKeys of ['', '  ', ' , '])
      expect(() => createSecretBox({ secretKeys, activeKeyId: '' })).toThrow(SecretKeyMissingError);
    expect(() => createSecretBox({ secretKeys: '', activeKeyId: '' })).toThrow(
      /TALKCAL_SECRET_KEY.*talkcal keys generate/,
    );
  });
});
