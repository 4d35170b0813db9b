/**
 * End-to-end harness: the local stack (both simulators, API, workers) on the test Redis with a
 * unique prefix, and the reads tests assert on (ledger entry, ticket, journal, Storware tasks).
 */
import type { Redis } from 'ioredis';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/cli/local-stack';
import type { LedgerEntry } from '../../src/ledger';
import { createLedger, isTerminalState } from '../../src/ledger';
import { silentLogger } from '../../src/logger';
import { deleteByPrefix, newRedis, testRedisUrl, uniquePrefix } from './redis';

export interface TestStack extends LocalStack {
  readonly prefix: string;
  readonly redis: Redis;
  entryFor(ritmSysId: string): Promise<LedgerEntry | undefined>;
  waitForEntry(
    ritmSysId: string,
    predicate: (e: LedgerEntry) => boolean,
    timeoutMs?: number,
  ): Promise<LedgerEntry>;
  waitForFinish(ritmSysId: string, timeoutMs?: number): Promise<LedgerEntry>;
  /** The RITM as ServiceNow holds it (raw string values). */
  ritm(sysId: string): Record<string, unknown>;
  /** Journal values, oldest first. */
  notes(sysId: string, element?: 'work_notes' | 'comments'): string[];
  /** Waits until the ticket has no pending updates and its state is `state`. */
  waitForTicketState(sysId: string, state: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function waitFor<T>(
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits into the next whole second. ServiceNow stamps records in whole seconds, and an approval
 * counts only from the second after its packet was posted, as a person's would.
 */
export async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_010 - (Date.now() % 1000)));
}

export async function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const prefix = uniquePrefix('e2e');
  const redis = newRedis();
  const stack = await startLocalStack({
    redisUrl: testRedisUrl(),
    prefix,
    logger: silentLogger(),
    ...options,
  });
  // Its own ledger view, so tests without in-process workers (worker processes) can read it too.
  const ledgerView = createLedger(redis, prefix, {
    retentionDays: stack.config.connector.tuning.ledgerRetentionDays,
  });
  const ledger = () => ledgerView;
  const entryFor = (ritmSysId: string) => ledger().getByRitm(ritmSysId);
  const waitForEntry = (ritmSysId: string, predicate: (e: LedgerEntry) => boolean, timeoutMs = 20_000) =>
    waitFor(
      async () => {
        const entry = await entryFor(ritmSysId);
        return entry && predicate(entry) ? entry : undefined;
      },
      timeoutMs,
      `ledger entry of ${ritmSysId}`,
    );
  const ritm = (sysId: string) => stack.servicenow.record('sc_req_item', sysId) ?? {};
  return {
    ...stack,
    prefix,
    redis,
    entryFor,
    waitForEntry,
    waitForFinish: (ritmSysId, timeoutMs) =>
      waitForEntry(ritmSysId, (e) => isTerminalState(e.state), timeoutMs),
    ritm,
    notes: (sysId, element) => stack.servicenow.journal(sysId, element).map((j) => j.value),
    async waitForTicketState(sysId, state, timeoutMs = 20_000) {
      await waitFor(
        () => (String(ritm(sysId).state) === state ? true : undefined),
        timeoutMs,
        `ticket state ${state}`,
      );
    },
    async stop() {
      await stack.close();
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
