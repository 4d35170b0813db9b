/**
 * How a request run ends (src/requests/finish.ts), on a real Redis ledger: the result is recorded
 * while the request is open, before the closing ticket update, so a run killed between that update
 * and the terminal write leaves it for the re-run (the combined chaos run, seed 4, lost backup
 * points that way); and a second runner never overwrites the result of a finished request.
 */
import type { Redis } from 'ioredis';
import { createLedger, type Ledger, type LedgerEntry, type LedgerPatch } from '../../src/ledger';
import type { RequestDeps } from '../../src/requests/deps';
import { finishRequest } from '../../src/requests/finish';
import type { TicketSink } from '../../src/requests/flow';
import { deleteByPrefix, newRedis, uniquePrefix } from '../helpers/redis';
import { newSysId } from '../helpers/webhook';

describe('finishing a request', () => {
  let redis: Redis;
  let prefix: string;
  let ledger: Ledger;

  beforeAll(() => {
    redis = newRedis();
  });

  afterAll(() => {
    redis.disconnect();
  });

  beforeEach(() => {
    prefix = uniquePrefix('finish');
    ledger = createLedger(redis, prefix, { retentionDays: 1 });
  });

  afterEach(async () => {
    await deleteByPrefix(redis, prefix);
  });

  async function newEntry(): Promise<LedgerEntry> {
    const { entry } = await ledger.createOrGet({
      ritmSysId: newSysId(),
      number: `RITM00${Math.floor(Math.random() * 1e8)}`,
      item: 'storware_backup_now',
      receivedEvent: { type: 'request.received', message: 'test' },
    });
    return entry;
  }

  function depsWith(l: Ledger): RequestDeps {
    return {
      ledger: l,
      watch: { release: () => Promise.resolve() },
      now: Date.now,
    } as unknown as RequestDeps;
  }

  const ticket: TicketSink = () => Promise.resolve();
  const succeeded = (backupGuid: string) => ({
    kind: 'succeeded' as const,
    workNote: 'done',
    result: { backupGuid },
  });

  it('when the run dies between the closing update and the terminal write, then the result is already in the ledger', async () => {
    const entry = await newEntry();
    // The process is killed when it reaches the terminal write.
    const dying: Ledger = {
      ...ledger,
      update: (id: string, patch: LedgerPatch, ...rest: unknown[]) =>
        patch.state === 'succeeded'
          ? Promise.reject(new Error('SIGKILL'))
          : (ledger.update as (...a: unknown[]) => Promise<unknown>)(id, patch, ...rest),
    } as Ledger;
    await expect(finishRequest(depsWith(dying), entry, succeeded('b-1'), ticket)).rejects.toThrow('SIGKILL');
    const after = await ledger.get(entry.requestId);
    expect(after?.state).not.toBe('succeeded');
    expect(after?.result).toEqual({ backupGuid: 'b-1' });
  });

  it('when a second runner finishes a request that already finished, then the first result stays', async () => {
    const entry = await newEntry();
    await finishRequest(depsWith(ledger), entry, succeeded('b-first'), ticket);
    await finishRequest(depsWith(ledger), entry, succeeded('b-second'), ticket);
    const after = await ledger.get(entry.requestId);
    expect(after?.state).toBe('succeeded');
    expect(after?.result).toEqual({ backupGuid: 'b-first' });
  });
});
