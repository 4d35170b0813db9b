/**
 * The start-up check of the Redis settings the connector relies on (noeviction, AOF), against a
 * private redis-server whose settings the test changes with CONFIG SET.
 */
import { checkRedisSettings, judgeNode, reportRedisSettings } from '../../src/redis/settings';
import { createRedis } from '../../src/redis/connection';
import { startRedisServer, type RedisServer } from '../helpers/chaos-redis';
import { captureLogger } from '../helpers/log-capture';
import { waitFor } from '../helpers/stack';

jest.setTimeout(30_000);

describe('Redis settings check', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer({ appendonly: false });
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('when Redis may evict and has no AOF, then both problems are named with the setting to change; once fixed, none', async () => {
    await server.cli('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    const redis = createRedis(server.url, 'worker', 'test-settings');
    try {
      const bad = await checkRedisSettings(redis);
      expect(bad.nodes).toEqual([{ node: 'redis', maxmemoryPolicy: 'allkeys-lru', aofEnabled: false }]);
      expect(bad.problems).toHaveLength(2);
      expect(bad.problems[0]).toContain('maxmemory-policy is allkeys-lru; set noeviction');
      expect(bad.problems[1]).toContain('set appendonly yes');

      await server.cli('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await server.cli('CONFIG', 'SET', 'appendonly', 'yes');
      const good = await checkRedisSettings(redis);
      expect(good.problems).toEqual([]);
      expect(good.nodes[0]).toMatchObject({ maxmemoryPolicy: 'noeviction', aofEnabled: true });
    } finally {
      redis.disconnect();
      await server.cli('CONFIG', 'SET', 'appendonly', 'no');
    }
  });

  it('when the process starts, then a wrong policy is logged as an error line naming the fix', async () => {
    await server.cli('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
    const log = captureLogger('info');
    const stop = reportRedisSettings(
      () => createRedis(server.url, 'producer', 'test-settings-report'),
      log.logger,
    );
    try {
      await waitFor(() => log.text().includes('set noeviction') || undefined, 10_000);
      const lines = log.lines().map((l) => JSON.parse(l) as { level: string; msg: string });
      const errors = lines.filter((l) => l.level === 'error').map((l) => l.msg);
      expect(errors.some((m) => m.includes('maxmemory-policy is volatile-lru; set noeviction'))).toBe(true);
    } finally {
      stop();
      await server.cli('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('when a managed Redis hides the fields from INFO, then nothing is claimed either way', () => {
    const judged = judgeNode('managed', '# Memory\r\nused_memory:1024\r\n');
    expect(judged.settings).toEqual({ node: 'managed', maxmemoryPolicy: undefined, aofEnabled: undefined });
    expect(judged.problems).toEqual([]);
  });
});
