/**
 * The intake service fuzzed against real Redis and BullMQ (no HTTP): mostly-valid signed bodies,
 * including repeats of the same RITM under every event. Whatever arrives, the service never throws,
 * never answers 503 while Redis is up, and every 2xx is backed by a ledger entry and a run job.
 */
import fc from 'fast-check';
import { CATALOG_ITEM_KEYS } from '../../src/items/definitions';
import { requestJobId } from '../../src/jobs/catalog';
import { requestIdForRitm } from '../../src/ledger/codec';
import { WEBHOOK_EVENTS } from '../../src/intake/webhook-body';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';
import { signedDelivery, VALID_VARIABLES } from '../helpers/webhook';

let app: IntakeApp;

beforeAll(async () => {
  app = await startIntakeApp();
});

afterAll(async () => {
  await app.close();
});

// A handful of RITMs, so the same request is hit by several events and redeliveries.
const SYS_IDS = ['1', '2', '3', '4'].map((d) => d.repeat(32));

/** Each field valid four times out of five, so valid deliveries and every mix of errors occur. */
function mostly<T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: other });
}

const body = fc
  .record({
    event: mostly(fc.constantFrom(...WEBHOOK_EVENTS), fc.string({ maxLength: 10 })),
    sys_id: mostly(fc.constantFrom(...SYS_IDS), fc.string({ maxLength: 34 })),
    number: mostly(fc.constantFrom('RITM0000001', 'RITM0000002'), fc.string({ maxLength: 12 })),
    cat_item: mostly(fc.constantFrom(...CATALOG_ITEM_KEYS), fc.string({ maxLength: 12 })),
    sys_updated_on: mostly(
      fc.constantFrom('2026-11-28 21:03:11', '2026-11-28 21:04:00', '2026-11-29 08:00:00'),
      fc.string({ maxLength: 20 }),
    ),
    wrongVariables: mostly(
      fc.constant(null),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    ),
    extra: mostly(fc.constant(null), fc.string()),
  })
  .map(({ wrongVariables, extra, ...fields }) => ({
    ...fields,
    variables:
      (wrongVariables as Record<string, string> | null) ??
      VALID_VARIABLES[fields.cat_item as keyof typeof VALID_VARIABLES] ??
      VALID_VARIABLES.storware_backup_now,
    ...(extra === null ? {} : { extra }),
  }));

it('when mostly-valid signed deliveries arrive in any order, then every 2xx has an entry and a job, and none is a 503', async () => {
  const seen = { accepted: 0, duplicate: 0, invalid: 0 };
  await fc.assert(
    fc.asyncProperty(body, fc.boolean(), async (fields, reuseId) => {
      const delivery = signedDelivery(fields, reuseId ? { id: 'msg_reused' } : {});
      const outcome = await app.intake.accept({ ...delivery, contentType: 'application/json' });

      expect(['accepted', 'duplicate', 'invalid']).toContain(outcome.kind);
      seen[outcome.kind as keyof typeof seen] += 1;
      if (outcome.kind === 'accepted') {
        const entry = await app.ledger.get(outcome.requestId);
        expect(entry?.ritmSysId).toBe((fields as { sys_id: string }).sys_id);
        expect(await app.queues.requests.getJob(requestJobId(outcome.requestId))).toBeDefined();
      }
      if (outcome.kind === 'duplicate') {
        expect(await app.ledger.get(outcome.requestId)).toBeDefined();
      }
    }),
    { numRuns: 1500 },
  );
  // The property is only worth something if all three kinds of answer were exercised.
  expect(seen.accepted).toBeGreaterThan(3);
  expect(seen.duplicate).toBeGreaterThan(50);
  expect(seen.invalid).toBeGreaterThan(50);
  // One entry per RITM, however many deliveries hit it: read every entry the ledger holds (not
  // through the RITM index, which could only agree with itself) and group them by ticket.
  const entryKeys = (await app.redis.keys(`${app.prefix}:ledger:req:*`)).filter((k) =>
    /:req:r-[0-9a-f]{32}$/.test(k),
  );
  const requestIdsByRitm = new Map<string, string[]>();
  for (const key of entryKeys) {
    const requestId = key.slice(key.lastIndexOf(':') + 1);
    const entry = await app.ledger.get(requestId);
    expect(entry).toBeDefined();
    const ids = requestIdsByRitm.get(entry!.ritmSysId) ?? [];
    ids.push(requestId);
    requestIdsByRitm.set(entry!.ritmSysId, ids);
  }
  expect(requestIdsByRitm.size).toBeGreaterThan(0);
  for (const [sysId, ids] of requestIdsByRitm) {
    expect(SYS_IDS).toContain(sysId);
    expect(ids).toEqual([requestIdForRitm(sysId)]);
  }
});
