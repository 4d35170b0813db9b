/**
 * Typed calls to the Storware Backup & Recovery REST API (docs/storware-api.md; the wire contract
 * is spec/storware.openapi.yaml). One function per remote operation, each answering small domain
 * objects (types.ts), grouped by resource: authentication.ts, inventory.ts, backups.ts,
 * policies.ts, restore.ts and tasks.ts, over the shared calls in core.ts. Session handling,
 * classification of failures and secret hygiene live below (session.ts, errors.ts, http.ts);
 * retries beyond the one re-login belong to the job queue.
 */
import type { Logger } from '../../logger';
import { type AuthenticationCalls, authenticationCalls } from './authentication';
import { type BackupCalls, backupCalls } from './backups';
import { createStorwareCore } from './core';
import type { Scrub } from './errors';
import { createTransport } from './http';
import { type InventoryCalls, inventoryCalls } from './inventory';
import { type PolicyCalls, policyCalls } from './policies';
import { type RestoreCalls, restoreCalls } from './restore';
import { StorwareSession } from './session';
import { type TaskCalls, taskCalls } from './tasks';

export type { ListAllOptions } from './core';

export interface StorwareClientOptions {
  /** Up to and including `/api`, e.g. `https://storware.example.com:8181/api`. */
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  /** PEM text of a private CA, added to the system CAs. Verification is never turned off. */
  readonly ca?: string;
  /** Per HTTP exchange; a call that has to log in again makes up to three exchanges. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Not accepted: the client builds its own agent so TLS verification cannot be bypassed. */
  readonly httpsAgent?: never;
  /** Clock for default task windows; tests inject one. */
  readonly now?: () => number;
}

export interface StorwareClient
  extends AuthenticationCalls, InventoryCalls, BackupCalls, PolicyCalls, RestoreCalls, TaskCalls {
  /** Logs out (best effort) and releases the connection pool. */
  close(): Promise<void>;
}

/**
 * Creates a Storware client. Nothing is sent until the first call, which logs in.
 *
 * @throws TypeError when `baseUrl` is not an http(s) URL without credentials, query or fragment.
 */
export function createStorwareClient(options: StorwareClientOptions): StorwareClient {
  const logger = options.logger.child({ system: 'storware' });
  // Secrets are looked up at scrub time: the session cookie changes with every login.
  const scrub: Scrub = (text) => {
    let out = text;
    for (const secret of [options.password, ...session.secrets()]) {
      if (secret.length > 0) {
        out = out.split(secret).join('[redacted]');
      }
    }
    return out;
  };
  const transport = createTransport({
    baseUrl: options.baseUrl,
    ca: options.ca,
    timeoutMs: options.timeoutMs,
    logger,
    scrub,
  });
  const session = new StorwareSession(
    transport,
    { user: options.user, password: options.password },
    logger,
    scrub,
  );
  const core = createStorwareCore({ session, logger, scrub, now: options.now ?? Date.now });
  const authentication = authenticationCalls(core);

  return {
    ...authentication,
    ...inventoryCalls(core),
    ...backupCalls(core),
    ...policyCalls(core),
    ...restoreCalls(core),
    ...taskCalls(core),

    async close() {
      try {
        await authentication.logout();
      } catch (error) {
        logger.debug({ op: 'logout', code: (error as { code?: unknown }).code }, 'storware logout failed');
      } finally {
        transport.destroy();
      }
    },
  };
}
