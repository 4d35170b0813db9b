import type { Redis } from 'ioredis';
import request from 'supertest';
import { freePort } from '../../src/cli/local-redis';
import { createDedupe, dedupeKeys } from '../../src/intake/dedupe';
import { requestJobId } from '../../src/jobs/catalog';
import { closeQueues, createQueues } from '../../src/jobs/queues';
import { createRedis } from '../../src/redis/connection';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';
import { loadConnectorOpenApi } from '../helpers/openapi';
import { testConfig } from '../helpers/config';
import { newRedis, testRedisUrl, uniquePrefix } from '../helpers/redis';
import { signedDelivery, validBody, type BodyFields, type Delivery } from '../helpers/webhook';

const openapi = loadConnectorOpenApi();
const PATH = '/webhooks/servicenow';

function post(app: IntakeApp, delivery: Delivery) {
  return request(app.url)
    .post(PATH)
    .set(delivery.headers)
    .serialize((bytes: unknown) => bytes as string)
    .send(delivery.rawBody);
}

let inspector: Redis;

beforeAll(() => {
  inspector = newRedis();
});

afterAll(async () => {
  await inspector.quit();
});

async function keysUnder(prefix: string): Promise<string[]> {
  return inspector.keys(`${prefix}*`);
}

describe('when Redis cannot be reached', () => {
  it('when nothing listens where Redis should be, then 503 with Retry-After comes back fast', async () => {
    const app = await startIntakeApp({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    try {
      const started = Date.now();
      const res = await post(app, signedDelivery(validBody()));

      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(openapi.responseErrors(PATH, 'post', 503, res.body)).toEqual([]);
      expect((res.body as { error: { code: string } }).error.code).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(app.logs().some((l) => l.msg === 'webhook not taken')).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('when the connection is closed before the delivery, then 503 and nothing is written', async () => {
    const app = await startIntakeApp();
    try {
      app.redis.disconnect();
      const body = validBody();
      const res = await post(app, signedDelivery(body));

      expect(res.status).toBe(503);
      expect(await keysUnder(app.prefix)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('when the queue fails after the ledger was written', () => {
  it('when the add fails, then 503, the claim is released, and the retry after recovery makes exactly one job', async () => {
    const prefix = uniquePrefix('intake');
    // Queues on their own connection, closed: the ledger and dedupe still work, the add cannot.
    const broken = createRedis(testRedisUrl(), 'producer', 'test-broken-queue');
    await new Promise<void>((resolve) => broken.once('ready', () => resolve()));
    const brokenQueues = createQueues(broken, prefix, testConfig().connector.tuning);
    brokenQueues.requests.on('error', () => undefined);
    await brokenQueues.requests.waitUntilReady();
    broken.disconnect();

    const failing = await startIntakeApp({ prefix, queues: brokenQueues });
    const body: BodyFields = validBody();
    const delivery = signedDelivery(body);
    try {
      const res = await post(failing, delivery);
      expect(res.status).toBe(503);

      // The crash window, on purpose: the entry exists, not queued, with no job and no claim.
      const entry = await failing.ledger.getByRitm(body.sys_id);
      expect(entry).toMatchObject({ state: 'received', jobIds: [] });
      expect(await failing.queues.requests.getJob(requestJobId(entry!.requestId))).toBeUndefined();
      expect(await keysUnder(`${prefix}:intake:seen`)).toEqual([]);
      expect(await failing.ledger.openRequestIds()).toEqual([entry!.requestId]);
    } finally {
      await failing.close({ keepKeys: true });
      await closeQueues(brokenQueues).catch(() => undefined);
    }

    const healthy = await startIntakeApp({ prefix });
    try {
      const retry = await post(healthy, delivery);
      const again = await post(healthy, delivery);

      expect(retry.status).toBe(202);
      const requestId = (retry.body as { requestId: string }).requestId;
      expect(requestId).toBe((await healthy.ledger.getByRitm(body.sys_id))?.requestId);
      expect(again.status).toBe(200);
      expect(await healthy.queues.requests.getJobCountByTypes('waiting', 'active', 'delayed')).toBe(1);
      expect(await healthy.queues.requests.getJobState(requestJobId(requestId))).toBe('waiting');
      expect((await healthy.ledger.get(requestId))?.state).toBe('queued');
    } finally {
      await healthy.close();
    }
  });
});

describe('when a claimant dies holding the claim', () => {
  it('when a copy arrives while the claim is pending, then it waits, answers 503, and after expiry a retry is accepted', async () => {
    const app = await startIntakeApp({ intakeConfig: { waitForClaimantMs: 300 } });
    try {
      const body = validBody();
      const delivery = signedDelivery(body);
      const keys = dedupeKeys(app.prefix, delivery.headers['webhook-id'], {
        event: 'ritm.submitted',
        sys_id: body.sys_id,
        number: body.number,
        cat_item: 'storware_backup_now',
        sys_updated_on: body.sys_updated_on,
        variables: body.variables,
      });
      // What a process that died right after claiming leaves behind.
      const dead = createDedupe(inspector, { retentionDays: 7, pendingTtlMs: 800, waitMs: 0 });
      expect((await dead.claim(keys)).kind).toBe('claimed');

      const whilePending = await post(app, delivery);
      expect(whilePending.status).toBe(503);
      expect(await app.ledger.getByRitm(body.sys_id)).toBeUndefined();

      await new Promise((resolve) => setTimeout(resolve, 900));
      const afterExpiry = await post(app, delivery);
      expect(afterExpiry.status).toBe(202);
    } finally {
      await app.close();
    }
  });
});
