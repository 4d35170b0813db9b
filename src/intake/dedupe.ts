/**
 * Webhook de-duplication in Redis, on two keys per delivery:
 *   P:intake:seen:id:<sha256(webhook-id), 32 hex>          the sender's delivery id (Standard Webhooks)
 *   P:intake:seen:event:<sys_id>:<event>:<sys_updated_on>:<content> the same event sent again
 *                                                           under a new id
 * `<content>` is a short hash of the variables: ServiceNow keeps whole seconds, so two different
 * changes of one RITM within a second (approved, then a variable edited) share `sys_updated_on`
 * and must not be taken for one delivery; a true re-delivery carries the same content.
 *
 * A delivery first claims both keys atomically with a short-lived `pending:<token>` marker. The
 * claimant does the work and then finalises both keys to `done:<requestId>:<ticket>` for
 * `retentionDays`, which outlives the sender's retries (days) and BullMQ's clean-up of finished
 * jobs, after which the job id alone would no longer dedupe. Concurrent copies find the marker,
 * wait a little for the claimant, and answer with its requestId. If the claimant fails it deletes
 * its markers (only its own: compare-and-delete), and if it crashes they expire, so a failure
 * never turns the sender's retry into a false duplicate.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { loadScript } from '../redis/lua-script';
import type { WebhookBody } from './webhook-body';

// One or two keys per delivery (see dedupeKeys), so no fixed key count.
const claimScript = loadScript(__dirname, 'lua/dedupe-claim.lua');
const finalizeScript = loadScript(__dirname, 'lua/dedupe-finalize.lua');
const releaseScript = loadScript(__dirname, 'lua/dedupe-release.lua');

export interface DedupeOptions {
  readonly retentionDays: number;
  /** How long a claim may stay pending before it expires by itself (a crashed claimant). */
  readonly pendingTtlMs: number;
  /** How long a concurrent copy waits for the claimant to finish. */
  readonly waitMs: number;
  readonly pollMs?: number;
}

export interface DeliveryRecord {
  readonly requestId: string;
  readonly ticket: string;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly token: string }
  | { readonly kind: 'done'; readonly record: DeliveryRecord; readonly matched: 'event' | 'webhook_id' }
  | { readonly kind: 'pending' };

function parseRecord(value: string | null): DeliveryRecord | undefined {
  const match = value === null ? null : /^done:(r-[0-9a-f]{32}):(\S+)$/.exec(value);
  return match ? { requestId: match[1]!, ticket: match[2]! } : undefined;
}

function canonicalVariables(variables: Readonly<Record<string, unknown>> | undefined): string {
  const entries = Object.entries(variables ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** The event key first, then (when the delivery has one) the webhook-id key. */
export function dedupeKeys(prefix: string, webhookId: string | undefined, body: WebhookBody): string[] {
  const content = createHash('sha256')
    .update(canonicalVariables(body.variables), 'utf8')
    .digest('hex')
    .slice(0, 12);
  const keys = [
    `${prefix}:intake:seen:event:${body.sys_id}:${body.event}:${body.sys_updated_on.replace(/\D/g, '')}:${content}`,
  ];
  if (webhookId !== undefined) {
    const hashed = createHash('sha256').update(webhookId, 'utf8').digest('hex').slice(0, 32);
    keys.push(`${prefix}:intake:seen:id:${hashed}`);
  }
  return keys;
}

export interface Dedupe {
  claim(keys: readonly string[]): Promise<ClaimResult>;
  /** Polls until the claimant finalised (its record) or gave up or ran out of time (undefined). */
  waitForClaimant(keys: readonly string[]): Promise<DeliveryRecord | undefined>;
  finalize(keys: readonly string[], record: DeliveryRecord): Promise<void>;
  release(keys: readonly string[], token: string): Promise<void>;
}

export function createDedupe(redis: Redis, options: DedupeOptions): Dedupe {
  const retentionSeconds = Math.round(options.retentionDays * 24 * 3600);
  const pollMs = options.pollMs ?? 25;
  return {
    async claim(keys) {
      const token = `pending:${randomUUID()}`;
      const existing = (await claimScript.run(redis, keys, [token, options.pendingTtlMs])) as
        [number, string] | null;
      if (existing === null) {
        return { kind: 'claimed', token };
      }
      const [index, value] = existing;
      const record = parseRecord(value);
      // dedupeKeys puts the event key first and the webhook-id key second.
      return record
        ? { kind: 'done', record, matched: index === 1 ? 'event' : 'webhook_id' }
        : { kind: 'pending' };
    },

    async waitForClaimant(keys) {
      const deadline = Date.now() + options.waitMs;
      while (Date.now() < deadline) {
        await sleep(pollMs);
        const values = await redis.mget(...keys);
        for (const value of values) {
          const record = parseRecord(value);
          if (record) {
            return record;
          }
        }
        if (values.every((v) => v === null)) {
          // The claimant released its markers: it failed, and the sender must retry.
          return undefined;
        }
      }
      return undefined;
    },

    async finalize(keys, record) {
      await finalizeScript.run(redis, keys, [`done:${record.requestId}:${record.ticket}`, retentionSeconds]);
    },

    async release(keys, token) {
      await releaseScript.run(redis, keys, [token]);
    },
  };
}
