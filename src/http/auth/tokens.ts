/**
 * API tokens (API_TOKENS, `name:role:token`) → who is calling.
 *
 * Comparison is constant-time in the only sense that matters here: both the presented token and
 * every configured token are reduced to SHA-256 digests first, so `timingSafeEqual` always compares
 * 32 bytes (a length mismatch would otherwise answer early), and every configured token is
 * compared on every call (no early exit that would tell which position matched).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../../config';
import type { Actor } from '../../ops/actor';

export interface TokenVerifier {
  /** The token's owner, or undefined for an unknown token. */
  verify(presented: string): Actor | undefined;
  /** The configured token with this name (sessions re-check it, so removing a token ends them). */
  byName(name: string): Actor | undefined;
}

/** Longest token considered at all; anything longer is not one of ours and is not hashed. */
const MAX_TOKEN_LENGTH = 512;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function createTokenVerifier(tokens: readonly ApiToken[]): TokenVerifier {
  const known = tokens.map((t) => ({ actor: { name: t.name, role: t.role }, digest: digest(t.token) }));
  return {
    verify(presented) {
      if (presented.length === 0 || presented.length > MAX_TOKEN_LENGTH) {
        return undefined;
      }
      const candidate = digest(presented);
      let found: Actor | undefined;
      for (const entry of known) {
        if (timingSafeEqual(entry.digest, candidate) && found === undefined) {
          found = entry.actor;
        }
      }
      return found;
    },
    byName(name) {
      return known.find((k) => k.actor.name === name)?.actor;
    },
  };
}
