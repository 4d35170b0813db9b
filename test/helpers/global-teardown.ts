import type { PrivateRedis } from '../../src/cli/local-redis';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __SIC_REDIS__?: PrivateRedis }).__SIC_REDIS__;
  if (started) {
    await started.stop();
  }
}
