/**
 * Browser sessions for the status page and the queue dashboard.
 *
 * The cookie holds 32 random bytes (base64url), nothing else: never the API token. Redis keeps
 * only the SHA-256 of that id, so a copy of Redis (a backup, a replica) holds no usable cookie.
 * The record is the token's name and role, with a TTL; every use re-checks that a token of that
 * name and role is still configured, so removing or re-roling a token in API_TOKENS ends its
 * sessions at once.
 *
 *   <prefix>:ops:session:<sha256(id)>   string JSON {name, role, createdAt}, EX ttl
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Actor } from '../../ops/actor';
import type { TokenVerifier } from './tokens';

export const SESSION_COOKIE = 'sic_session';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionStore {
  /** Opens a session and returns the id for the cookie. */
  create(actor: Actor): Promise<string>;
  /** The session's actor, or undefined when unknown, expired or its token is gone. */
  resolve(id: string): Promise<Actor | undefined>;
  destroy(id: string): Promise<void>;
  readonly ttlSeconds: number;
}

export function createSessionStore(
  redis: Redis,
  prefix: string,
  verifier: TokenVerifier,
  options: { ttlSeconds: number; now?: () => number },
): SessionStore {
  const now = options.now ?? Date.now;
  const key = (id: string) =>
    `${prefix}:ops:session:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
  return {
    ttlSeconds: options.ttlSeconds,
    async create(actor) {
      const id = randomBytes(32).toString('base64url');
      await redis.set(
        key(id),
        JSON.stringify({ name: actor.name, role: actor.role, createdAt: now() }),
        'EX',
        options.ttlSeconds,
      );
      return id;
    },
    async resolve(id) {
      if (!SESSION_ID.test(id)) {
        return undefined;
      }
      const raw = await redis.get(key(id));
      if (raw === null) {
        return undefined;
      }
      let stored: { name?: unknown; role?: unknown };
      try {
        stored = JSON.parse(raw) as { name?: unknown; role?: unknown };
      } catch {
        return undefined;
      }
      const current = typeof stored.name === 'string' ? verifier.byName(stored.name) : undefined;
      return current !== undefined && current.role === stored.role ? current : undefined;
    },
    async destroy(id) {
      if (SESSION_ID.test(id)) {
        await redis.del(key(id));
      }
    },
  };
}
