/**
 * Composition of the API process: everything it needs is built here from the config and handed
 * down. The worker process is composed in workers/runner.ts.
 */
import { createApp } from './http/app';
import { listen, type RunningServer } from './http/server';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Closer } from './process/shutdown';
import { createRedis, pingWithin } from './redis';

export interface ApiProcess {
  readonly http: RunningServer;
  readonly closers: readonly Closer[];
}

export async function startApi(config: Config, logger: Logger, options: { host?: string } = {}): Promise<ApiProcess> {
  const redis = createRedis(config.redis.url, 'producer', 'sic-api');
  const app = createApp({
    logger,
    maxBodyBytes: config.webhook.maxBodyBytes,
    readiness: [
      { name: 'redis', check: () => pingWithin(redis, 1_000) },
      // The config was validated before we got here; the check says so explicitly for operators.
      { name: 'config', check: () => Promise.resolve() },
    ],
  });
  const http = await listen(app, config.http.port, options.host);
  logger.info({ port: http.port }, 'api listening');
  return {
    http,
    closers: [
      { name: 'http', close: () => http.close() },
      { name: 'redis', close: async () => void (await redis.quit().catch(() => redis.disconnect())) },
    ],
  };
}
