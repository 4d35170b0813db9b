import request from 'supertest';
import { dedupeKeys } from '../../src/intake/dedupe';
import type { WebhookBody } from '../../src/intake/webhook-body';
import { requestJobId } from '../../src/jobs/catalog';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';
import { loadConnectorOpenApi } from '../helpers/openapi';
import { signedDelivery, validBody, type Delivery } from '../helpers/webhook';

const openapi = loadConnectorOpenApi();
const PATH = '/webhooks/servicenow';

function post(app: IntakeApp, delivery: Delivery) {
  return request(app.url)
    .post(PATH)
    .set(delivery.headers)
    .serialize((bytes: unknown) => bytes as string)
    .send(delivery.rawBody);
}

async function countLedgerEntries(app: IntakeApp): Promise<number> {
  const keys = await app.redis.keys(`${app.prefix}:ledger:req:*`);
  return keys.filter((k) => /:req:r-[0-9a-f]{32}$/.test(k)).length;
}

async function countJobs(app: IntakeApp): Promise<number> {
  const counts = await app.queues.requests.getJobCounts(
    'waiting',
    'active',
    'delayed',
    'completed',
    'failed',
    'prioritized',
  );
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('webhook de-duplication', () => {
  let app: IntakeApp;

  beforeEach(async () => {
    app = await startIntakeApp();
  });

  afterEach(async () => {
    await app.close();
  });

  it('when 50 identical deliveries arrive at once, then one job and one ledger entry exist and all answers carry the same request id', async () => {
    const delivery = signedDelivery(validBody());
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(app, delivery)));

    for (const res of answers) {
      expect([200, 202]).toContain(res.status);
      expect(openapi.responseErrors(PATH, 'post', res.status, res.body)).toEqual([]);
    }
    expect(answers.filter((r) => r.status === 202)).toHaveLength(1);
    expect(new Set(answers.map((r) => (r.body as { requestId: string }).requestId)).size).toBe(1);
    expect(await countJobs(app)).toBe(1);
    expect(await countLedgerEntries(app)).toBe(1);
  });

  it('when the same event arrives 50 times at once under 50 delivery ids, then it is still one job and one entry', async () => {
    const body = validBody();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(app, signedDelivery(body))));

    expect(answers.every((r) => r.status === 200 || r.status === 202)).toBe(true);
    expect(new Set(answers.map((r) => (r.body as { requestId: string }).requestId)).size).toBe(1);
    expect(await countJobs(app)).toBe(1);
    expect(await countLedgerEntries(app)).toBe(1);
  });

  it('when an accepted event is redelivered later under a new webhook-id, then 200 duplicate with the original request id', async () => {
    const body = validBody();
    const firstDelivery = signedDelivery(body);
    const first = await post(app, firstDelivery);
    const again = await post(app, signedDelivery(body));
    const sameId = await post(app, signedDelivery(validBody(), { id: firstDelivery.headers['webhook-id'] }));

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // The same delivery id is a duplicate whatever it carries (Standard Webhooks: dedupe on id).
    expect(sameId.status).toBe(200);
    expect((sameId.body as { requestId: string }).requestId).toBe(
      (first.body as { requestId: string }).requestId,
    );
    expect(await countJobs(app)).toBe(1);
  });

  it('when the run job has been cleaned up and the event is sent again, then the dedupe key still answers duplicate', async () => {
    const body = validBody();
    const first = await post(app, signedDelivery(body));
    const requestId = (first.body as { requestId: string }).requestId;
    await app.queues.requests.remove(requestJobId(requestId));

    const again = await post(app, signedDelivery(body));

    expect(again.status).toBe(200);
    expect(await countJobs(app)).toBe(0);
    const ttl = await app.redis.ttl(dedupeKeys(app.prefix, undefined, body as WebhookBody)[0]!);
    expect(ttl).toBeGreaterThan(7 * 86400 - 10);
  });
});
