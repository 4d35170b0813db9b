/**
 * Graceful shutdown on SIGTERM and SIGINT. Closers run in order (stop taking HTTP traffic, then
 * let workers finish their active steps, then close Redis), each with a deadline so a stuck close
 * cannot keep a pod in Terminating forever. A second signal exits at once.
 */
import type { Logger } from '../logger';
import { withTimeout } from '../util/with-timeout';

export interface Closer {
  readonly name: string;
  readonly close: () => Promise<void>;
}

export async function closeAll(
  closers: readonly Closer[],
  logger: Logger,
  timeoutMs: number,
): Promise<boolean> {
  let clean = true;
  for (const closer of closers) {
    try {
      await withTimeout(closer.close(), timeoutMs, `did not close within ${timeoutMs} ms`);
      logger.info({ component: closer.name }, 'closed');
    } catch (error) {
      clean = false;
      logger.error({ component: closer.name, err: error }, 'close failed');
    }
  }
  return clean;
}

export function onShutdownSignals(
  closers: () => readonly Closer[],
  logger: Logger,
  timeoutMs = 30_000,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void closeAll(closers(), logger, timeoutMs).then((clean) => process.exit(clean ? 0 : 1));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
