/**
 * Makes sure the tests have a real Redis: `REDIS_URL` (or 127.0.0.1:6379) when it answers within a
 * second, otherwise a private `redis-server` on a free port in a temporary directory, stopped by
 * global-teardown. With neither, the run stops here with a message that says how to get Redis —
 * unless only the unit project was selected, which needs no Redis.
 */
import { startPrivateRedis, resolveTestRedis } from '../../src/cli/local-redis';

function onlyUnitSelected(argv: readonly string[]): boolean {
  const index = argv.indexOf('--selectProjects');
  return (
    index >= 0 &&
    argv[index + 1] === 'unit' &&
    (argv[index + 2] === undefined || argv[index + 2]!.startsWith('-'))
  );
}

export default async function globalSetup(): Promise<void> {
  const onlyUnit = onlyUnitSelected(process.argv);
  const found = await resolveTestRedis(process.env.REDIS_URL);
  if (found) {
    process.env.REDIS_URL = found;
    return;
  }
  try {
    const started = await startPrivateRedis();
    process.env.REDIS_URL = started.url;
    (globalThis as { __SIC_REDIS__?: unknown }).__SIC_REDIS__ = started;
    process.stderr.write(`\n[tests] no Redis answered; started a private redis-server at ${started.url}\n`);
  } catch (error) {
    if (onlyUnit) {
      return;
    }
    throw new Error(
      `Tests need Redis and none answered at ${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}, ` +
        `and starting a private redis-server failed (${(error as Error).message}).\n` +
        `Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), ` +
        `or point REDIS_URL at a running Redis, then run the tests again.`,
      { cause: error },
    );
  }
}
