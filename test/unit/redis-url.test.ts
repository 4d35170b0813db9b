/**
 * REDIS_URL names one server, a Redis Cluster or a Sentinel-managed primary (src/redis/redis-url.ts); the
 * configuration accepts the three shapes, refuses anything else with a reason, and never logs a
 * password from any of them. (The topologies themselves run in test/cluster.)
 */
import { describeConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { describeRedisUrl, parseRedisUrl } from '../../src/redis/connection';
import { testConfig } from '../helpers/config';

describe('REDIS_URL: one server, a cluster or a sentinel', () => {
  it('when it is redis:// or rediss://, then it is one server, passed to the client as is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({
      topology: 'single',
      url: 'redis://127.0.0.1:6379/2',
    });
    expect(parseRedisUrl('rediss://u:p@cache.example:6380')).toMatchObject({ topology: 'single' });
  });

  it('when it is redis+cluster://, then every seed node, the credentials and TLS are read', () => {
    expect(parseRedisUrl('rediss+cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2,[fd00::3]:7002')).toEqual({
      topology: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
        { host: 'fd00::3', port: 7002 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
      masterName: undefined,
    });
  });

  it('when it is redis+sentinel://, then the sentinels and the primary’s name are read', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@s1,s2:26380/mymaster')).toEqual({
      topology: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      username: undefined,
      password: 'pw',
      tls: false,
      masterName: 'mymaster',
    });
  });

  it.each([
    ['http://127.0.0.1:6379', /must be redis:\/\//],
    ['redis+cluster://', /must be redis:\/\//],
    ['redis+cluster://a:99999', /not host:port/],
    ['redis+sentinel://s1:26379', /primary's name/],
  ])('when it is %s, then it is refused with the reason', (url, reason) => {
    expect(() => parseRedisUrl(url)).toThrow(reason);
  });

  it('when a URL carries credentials, then what is logged masks them in every shape', () => {
    for (const url of [
      'redis://user:hunter2-secret@h:1',
      'redis+cluster://user:hunter2-secret@h1:1,h2:2',
      'rediss+sentinel://:hunter2-secret@s1/m',
    ]) {
      expect(describeRedisUrl(url)).not.toContain('hunter2-secret');
    }
    const config = testConfig({
      REDIS_URL: 'redis+cluster://app:hunter2-secret@10.0.0.1:7000,10.0.0.2:7001',
    });
    expect(config.redis.url).toContain('redis+cluster://');
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain('hunter2-secret');
    expect(described).toContain('"redisTopology":"cluster"');
  });

  it('when the configuration names a malformed cluster URL, then the start is refused naming REDIS_URL', () => {
    expect(() => testConfig({ REDIS_URL: 'redis+cluster://10.0.0.1:notaport' })).toThrow(ConfigError);
    try {
      testConfig({ REDIS_URL: 'redis+cluster://10.0.0.1:notaport' });
    } catch (error) {
      expect((error as ConfigError).message).toMatch(/REDIS_URL/);
    }
  });
});
