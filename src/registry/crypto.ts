import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError, SecretKeyConfigError, SecretKeyMissingError } from './errors.js';

// AES-256-GCM for tokens and source credentials at rest. Each ciphertext carries the id of the key
// that sealed it, so keys rotate: add a new key, make it active, re-encrypt, then drop the old one.
// Format: "v1.<kid>.<iv>.<tag>.<ciphertext>" (base64url parts).

const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

export interface SecretBox {
  readonly activeKeyId: string;
  seal(plaintext: string, associatedData?: string): string;
  open(sealed: string, associatedData?: string): string;
  /** The key id a sealed value names, or undefined if it is not one of ours. */
  keyIdOf(sealed: string): string | undefined;
}

export function parseSecretKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const colon = part.indexOf(':');
    const kid = colon > 0 ? part.slice(0, colon) : '';
    if (!keyIdPattern.test(kid)) {
      throw new SecretKeyConfigError(
        'TALKCAL_SECRET_KEY must be "kid:base64key[,kid:base64key]" with key ids of letters, digits, _ or - ' +
          '(a new one: `talkcal keys generate`)',
      );
    }
    const key = Buffer.from(part.slice(colon + 1), 'base64');
    if (key.length !== 32) {
      throw new SecretKeyConfigError(
        `TALKCAL_SECRET_KEY: key "${kid}" must decode to 32 bytes, not ${key.length}`,
      );
    }
    if (keys.has(kid)) throw new SecretKeyConfigError(`TALKCAL_SECRET_KEY: key id "${kid}" appears twice`);
    keys.set(kid, key);
  }
  return keys;
}

/** A fresh random key spec, e.g. for `TALKCAL_SECRET_KEY` in a new deployment. */
export function generateSecretKeySpec(kid = 'k1'): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

export function createSecretBox(security: { secretKeys: string; activeKeyId: string }): SecretBox {
  const keys = parseSecretKeys(security.secretKeys);
  if (keys.size === 0) throw new SecretKeyMissingError();
  const activeKeyId = security.activeKeyId || [...keys.keys()][0]!;
  const activeKey = keys.get(activeKeyId);
  if (!activeKey) {
    throw new SecretKeyConfigError(`security.activeKeyId "${activeKeyId}" is not one of the configured keys`);
  }
  const b64 = (b: Buffer) => b.toString('base64url');

  return {
    activeKeyId,
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', activeKey, iv);
      if (associatedData) cipher.setAAD(Buffer.from(associatedData));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', activeKeyId, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.');
    },
    open(sealed, associatedData) {
      const [version, kid, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !kid || iv === undefined || tag === undefined || body === undefined) {
        throw new DecryptionError(kid ?? '', 'stored secret is not in the v1 sealed format');
      }
      const key = keys.get(kid);
      if (!key) {
        throw new DecryptionError(kid, `stored secret was sealed with key "${kid}", which is not configured`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        if (associatedData) decipher.setAAD(Buffer.from(associatedData));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new DecryptionError(kid, `stored secret failed authentication with key "${kid}"`);
      }
    },
    keyIdOf(sealed) {
      const [version, kid] = sealed.split('.');
      return version === 'v1' && kid && keyIdPattern.test(kid) ? kid : undefined;
    },
  };
}
