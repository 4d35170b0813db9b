/**
 * Webhook deliveries as ServiceNow sends them: a `ritm.submitted` body for "Back up my instance
 * now" with a fresh RITM identity each (unique sys_id and number, so none is a duplicate) and
 * Standard Webhooks headers from the production signer. The body is the size of a real one (about
 * 300 bytes), the same for every scenario.
 */
import { randomBytes } from 'node:crypto';
import { signWebhook } from '../../src/intake/standard-webhooks';
import { FIXTURE } from '../../src/simulators/fixture-ids';

export interface SignedDelivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

const VARIABLES = {
  instance_id: FIXTURE.instances.acmeWeb.uuid,
  backup_type: 'FULL',
  priority: '50',
};

function serviceNowNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

export interface WebhookBody {
  readonly event: 'ritm.submitted';
  readonly sys_id: string;
  readonly number: string;
  readonly cat_item: 'storware_backup_now';
  readonly sys_updated_on: string;
  readonly variables: Record<string, string>;
}

/** `count` bodies with unique RITMs; numbers share a random stem so batches never collide. */
export function webhookBodies(count: number): WebhookBody[] {
  const stem = String(randomBytes(4).readUInt32BE(0)).padStart(10, '0');
  const updated = serviceNowNow();
  return Array.from({ length: count }, (_, i) => ({
    event: 'ritm.submitted',
    sys_id: randomBytes(16).toString('hex'),
    number: `RITM${stem}${String(i).padStart(8, '0')}`,
    cat_item: 'storware_backup_now',
    sys_updated_on: updated,
    variables: { ...VARIABLES },
  }));
}

/** Signs `count` fresh deliveries now (the signature's timestamp is valid for 5 minutes). */
export function signedDeliveries(secret: string, count: number): SignedDelivery[] {
  const stem = randomBytes(6).toString('hex');
  return webhookBodies(count).map((body, i) => {
    const text = JSON.stringify(body);
    return {
      body: text,
      headers: {
        ...signWebhook(secret, `msg_bench_${stem}_${i}`, text),
        'content-type': 'application/json',
      },
    };
  });
}
