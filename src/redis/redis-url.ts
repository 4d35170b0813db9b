/**
 * REDIS_URL, taken apart and described for logs. Pure string work with no ioredis import, so the
 * configuration (src/config) can validate and describe the URL without loading the Redis client;
 * src/redis/connection.ts builds clients from the result (and re-exports these names).
 *
 * The three shapes (see README, "Redis", and src/redis/connection.ts):
 * - `redis://[user:pass@]host:port[/db]` or `rediss://`: one server, kept as is for ioredis;
 * - `redis+cluster://[user:pass@]host1:port1,host2:port2,…` or `rediss+cluster://`: Cluster seeds;
 * - `redis+sentinel://[user:pass@]host1:port1,…/<master name>` or `rediss+sentinel://`.
 */

export type RedisTopology = 'single' | 'cluster' | 'sentinel';

export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** A REDIS_URL taken apart; `single` keeps the URL as is for ioredis to parse. */
export type RedisTarget =
  | { readonly topology: 'single'; readonly url: string }
  | {
      readonly topology: 'cluster' | 'sentinel';
      readonly nodes: readonly RedisNodeAddress[];
      readonly username?: string;
      readonly password?: string;
      readonly tls: boolean;
      /** Sentinel only: the monitored primary's name. */
      readonly masterName?: string;
    };

const MULTI_HOST = /^(rediss?)\+(cluster|sentinel):\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/([^?#]*))?$/;

function splitNode(text: string, defaultPort: number): RedisNodeAddress | undefined {
  // host:port, [v6]:port, or host alone.
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    return undefined;
  }
  return { host, port };
}

/**
 * Parses REDIS_URL. Throws a TypeError naming the problem (config validation reports it); never
 * echoes the URL, which may hold a password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) {
    return { topology: 'single', url };
  }
  const match = MULTI_HOST.exec(url);
  if (!match) {
    throw new TypeError(
      'must be redis://host:port, redis+cluster://host1:port1,host2:port2 or redis+sentinel://host1:port1,…/<master>',
    );
  }
  const [, scheme, topology, userinfo, hosts, path] = match;
  const sentinel = topology === 'sentinel';
  const nodes = hosts!.split(',').map((part) => splitNode(part, sentinel ? 26379 : 6379));
  if (nodes.length === 0 || nodes.some((n) => n === undefined)) {
    throw new TypeError('lists a node that is not host:port');
  }
  const masterName = sentinel ? decodeURIComponent(path ?? '') : undefined;
  if (sentinel && !masterName) {
    throw new TypeError("needs the primary's name as the path: redis+sentinel://host:26379/mymaster");
  }
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined && userinfo !== '') {
    const colon = userinfo.indexOf(':');
    username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon)) || undefined;
    password = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1)) || undefined;
  }
  return {
    topology: topology as 'cluster' | 'sentinel',
    nodes: nodes as RedisNodeAddress[],
    username,
    password,
    tls: scheme === 'rediss',
    masterName,
  };
}

/** REDIS_URL with any credentials masked, safe to log. */
export function describeRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)([^@/]*)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    return `${scheme}${user ? '***' : ''}${colon < 0 ? '' : ':***'}@`;
  });
}
