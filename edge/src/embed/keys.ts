import { sha256Hex } from '../query/canonical.ts';

export const KEY_PREFIX = 'ff_live_';

/** 256 random bits after a recognisable prefix (secret scanners match `ff_live_`). Returned to the caller once. */
export function generateApiKey(): { key: string; prefix: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const body = btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
  const key = `${KEY_PREFIX}${body}`;
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 4) };
}

/** SHA-256 is enough at rest: the key has 256 bits of entropy, nothing to brute-force as with a password. */
export const hashApiKey = (key: string): Promise<string> => sha256Hex(key);
