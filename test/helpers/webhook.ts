/**
 * Webhook deliveries for tests: valid bodies per catalog item, fresh RITM identities, and headers
 * signed with the production signer (src/intake/standard-webhooks.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { signWebhook } from '../../src/intake/standard-webhooks';
import { TEST_WEBHOOK_SECRET } from './config';

export type Item = 'storware_backup_now' | 'storware_restore_point' | 'storware_protect_vm';

export const VALID_VARIABLES: Record<Item, Record<string, string>> = {
  storware_backup_now: {
    instance_id: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
    backup_type: 'FULL',
    priority: '50',
  },
  storware_restore_point: {
    instance_id: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
    backup_point: 'latest',
    overwrite: 'false',
    target_name: 'restored-web-1',
  },
  storware_protect_vm: {
    instance_id: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
    policy_tier: 'gold',
    first_backup: 'true',
  },
};

export function newSysId(): string {
  return randomBytes(16).toString('hex');
}

let counter = 0;
export function newRitmNumber(): string {
  counter += 1;
  return `RITM${String(Date.now() % 1e7).padStart(7, '0')}${counter}`;
}

export interface BodyFields {
  event: string;
  sys_id: string;
  number: string;
  cat_item: string;
  sys_updated_on: string;
  variables: Record<string, string>;
  [extra: string]: unknown;
}

export function validBody(overrides: Partial<BodyFields> = {}): BodyFields {
  const item = (overrides.cat_item ?? 'storware_backup_now') as Item;
  return {
    event: 'ritm.submitted',
    sys_id: newSysId(),
    number: newRitmNumber(),
    cat_item: item,
    sys_updated_on: '2026-11-28 21:03:11',
    variables: { ...(VALID_VARIABLES[item] ?? {}) },
    ...overrides,
  };
}

export interface Delivery {
  headers: Record<string, string>;
  rawBody: Buffer;
}

/** A delivery as ServiceNow sends it: JSON bytes and Standard Webhooks headers. */
export function signedDelivery(
  body: unknown,
  options: {
    secrets?: string | string[];
    id?: string;
    timestampSeconds?: number;
    raw?: string | Buffer;
  } = {},
): Delivery {
  const rawBody =
    options.raw !== undefined
      ? Buffer.isBuffer(options.raw)
        ? options.raw
        : Buffer.from(options.raw, 'utf8')
      : Buffer.from(JSON.stringify(body), 'utf8');
  const headers = signWebhook(
    options.secrets ?? TEST_WEBHOOK_SECRET,
    options.id ?? `msg_${randomUUID()}`,
    rawBody,
    options.timestampSeconds ?? Math.floor(Date.now() / 1000),
  );
  return { headers: { ...headers, 'content-type': 'application/json' }, rawBody };
}

export function randomSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
