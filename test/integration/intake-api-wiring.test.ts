import request from 'supertest';
import { startApi, type ApiProcess } from '../../src/processes/api';
import { requestJobId } from '../../src/jobs/catalog';
import { silentLogger } from '../../src/logger';
import { closeAll } from '../../src/processes/shutdown';
import { createQueues, closeQueues } from '../../src/jobs/queues';
import { testConfig } from '../helpers/config';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';
import { signedDelivery, validBody } from '../helpers/webhook';

it('when the API process is started as in production, then it becomes ready, takes a webhook, serves its spec and shuts down cleanly', async () => {
  const prefix = uniquePrefix('api');
  const config = testConfig({ PORT: '0', QUEUE_PREFIX: prefix });
  const api: ApiProcess = await startApi(config, silentLogger(), { host: '127.0.0.1' });
  const url = `http://127.0.0.1:${api.http.port}`;
  const redis = newRedis();
  try {
    // Ready once the producer connection is up; until then readiness (not the webhook) says so.
    for (let i = 0; i < 50 && (await request(url).get('/readyz')).status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await request(url).get('/readyz')).status).toBe(200);

    const delivery = signedDelivery(validBody());
    const res = await request(url)
      .post('/webhooks/servicenow')
      .set(delivery.headers)
      .serialize((bytes: unknown) => bytes as string)
      .send(delivery.rawBody);
    expect(res.status).toBe(202);

    const queues = createQueues(redis, prefix, config.connector.tuning);
    expect(
      await queues.requests.getJob(requestJobId((res.body as { requestId: string }).requestId)),
    ).toBeDefined();
    await closeQueues(queues);

    const spec = await request(url).get('/openapi.json');
    expect((spec.body as { info: { title: string } }).info.title).toBe('storware-itsm-connector');
  } finally {
    expect(await closeAll(api.closers, silentLogger(), 5_000)).toBe(true);
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  }
});
