/**
 * Property-based fuzzing of the intake service itself (no HTTP, no Redis): 10,000 cases in all.
 * Storage is replaced by stubs that count every call and fail, so a property can say both
 * "nothing unauthenticated or invalid ever reaches storage" and "the service never throws".
 */
import fc from 'fast-check';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadCatalog } from '../../src/catalog/definitions';
import { createVariableParser } from '../../src/catalog/variables';
import { CATALOG_ITEM_KEYS } from '../../src/items/definitions';
import { createIntake, type IntakeOutcome } from '../../src/intake/intake';
import { signWebhook } from '../../src/intake/standard-webhooks';
import { checkWebhookBody, WEBHOOK_EVENTS } from '../../src/intake/webhook-body';
import type { Ledger } from '../../src/ledger';
import { silentLogger } from '../../src/logger';
import { TEST_WEBHOOK_SECRET } from '../helpers/config';
import { randomSecret, VALID_VARIABLES } from '../helpers/webhook';

const NOW_MS = 1_767_225_600_000;
const NOW_S = NOW_MS / 1000;
const variables = createVariableParser(loadCatalog());

/** Every method of every storage dependency counts its call and fails like an unreachable Redis. */
function failingStorage() {
  const calls: string[] = [];
  const fail = (name: string) => () => {
    calls.push(name);
    return Promise.reject(new Error(`${name}: storage is offline in this test`));
  };
  const stub = <T>(name: string) =>
    new Proxy({}, { get: (_target, property) => fail(`${name}.${String(property)}`) }) as T;
  return {
    calls,
    ledger: stub<Ledger>('ledger'),
    redis: stub<Redis>('redis'),
    queue: stub<Queue>('queue'),
  };
}

function newIntake() {
  const storage = failingStorage();
  const intake = createIntake({
    ledger: storage.ledger,
    queues: { requests: storage.queue },
    variables,
    redis: storage.redis,
    logger: silentLogger(),
    now: () => NOW_MS,
    config: {
      webhook: {
        secrets: [TEST_WEBHOOK_SECRET],
        toleranceSeconds: 300,
        basicAuth: undefined,
        maxBodyBytes: 65_536,
      },
      tuning: { dedupeRetentionDays: 7 },
      prefix: '{fuzz}',
    },
  });
  return { intake, storage };
}

const KINDS: ReadonlyArray<IntakeOutcome['kind']> = [
  'accepted',
  'duplicate',
  'invalid',
  'unauthenticated',
  'unavailable',
];

const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
  fc.stringMatching(/^v1,[A-Za-z0-9+/=]{0,60}$/),
  fc.integer({ min: NOW_S - 1000, max: NOW_S + 1000 }).map(String),
);

const bodyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.json().map((j) => Buffer.from(j)),
  fc.string().map((s) => Buffer.from(s)),
);

/** Mostly-valid bodies: every field is valid half of the time, so all mixes of errors occur. */
const nearValidBody = fc.record(
  {
    event: fc.oneof(fc.constantFrom(...WEBHOOK_EVENTS), fc.string(), fc.integer()),
    sys_id: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 40 })),
    number: fc.oneof(fc.stringMatching(/^RITM\d{7}$/), fc.string({ maxLength: 12 })),
    cat_item: fc.oneof(fc.constantFrom(...CATALOG_ITEM_KEYS), fc.string({ maxLength: 30 })),
    sys_updated_on: fc.oneof(fc.constant('2026-11-28 21:03:11'), fc.string({ maxLength: 25 })),
    variables: fc.oneof(
      fc.constantFrom(...Object.values(VALID_VARIABLES)),
      fc.dictionary(fc.string({ maxLength: 15 }), fc.string({ maxLength: 40 }), { maxKeys: 4 }),
      fc.anything(),
    ),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

const anyBody = fc.oneof(
  { weight: 3, arbitrary: nearValidBody.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

describe('intake fuzzing (service level)', () => {
  it('when headers and bytes are arbitrary, then nothing is accepted, nothing throws and storage is never touched', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'authorization', 'x-other'),
          headerValue,
        ),
        bodyBytes,
        fc.constantFrom('application/json', 'application/json; charset=utf-8'),
        async (headers, rawBody, contentType) => {
          const { intake, storage } = newIntake();
          const outcome = await intake.accept({ headers, rawBody, contentType });
          expect(['unauthenticated', 'invalid']).toContain(outcome.kind);
          expect(storage.calls).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('when a correctly signed delivery is altered in any one place, then it is refused as unauthenticated', async () => {
    const alteration = fc.oneof(
      fc.record({ kind: fc.constant('body' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('id' as const), id: fc.string({ minLength: 1, maxLength: 40 }) }),
      fc.record({
        kind: fc.constant('timestamp' as const),
        delta: fc.integer({ min: -300, max: 300 }).filter((d) => d !== 0),
      }),
      fc.record({
        kind: fc.constant('signature' as const),
        at: fc.nat(),
        char: fc.constantFrom(...'ABCabc012+/'),
      }),
      fc.record({ kind: fc.constant('secret' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(nearValidBody, alteration, async (body, change) => {
        const { intake, storage } = newIntake();
        const raw = Buffer.from(JSON.stringify(body));
        const headers: Record<string, string> = {
          ...signWebhook(TEST_WEBHOOK_SECRET, 'msg_fuzz', raw, NOW_S),
        };
        let sent = raw;
        switch (change.kind) {
          case 'body': {
            sent = Buffer.from(raw);
            const index = change.at % sent.length;
            sent[index] = sent[index]! ^ (1 << change.bit);
            break;
          }
          case 'id':
            fc.pre(change.id !== 'msg_fuzz');
            headers['webhook-id'] = change.id;
            break;
          case 'timestamp':
            headers['webhook-timestamp'] = String(NOW_S + change.delta);
            break;
          case 'signature': {
            const sig = headers['webhook-signature']!;
            // Only the first 42 base64 characters: the 43rd also carries two unused bits, and a change
            // there alone can decode to the same MAC (base64 malleability, not a forgery).
            const index = 3 + (change.at % 42);
            fc.pre(sig[index] !== change.char);
            headers['webhook-signature'] = sig.slice(0, index) + change.char + sig.slice(index + 1);
            break;
          }
          case 'secret':
            headers['webhook-signature'] = signWebhook(randomSecret(), 'msg_fuzz', raw, NOW_S)[
              'webhook-signature'
            ];
            break;
        }
        const outcome = await intake.accept({ headers, rawBody: sent, contentType: 'application/json' });
        expect(outcome.kind).toBe('unauthenticated');
        expect(storage.calls).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('when signed bodies are arbitrary, then only valid ones reach storage and no outcome is a 5xx but unavailable', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (text) => {
        const { intake, storage } = newIntake();
        const rawBody = Buffer.from(text);
        const headers = { ...signWebhook(TEST_WEBHOOK_SECRET, 'msg_fuzz', rawBody, NOW_S) };
        const outcome = await intake.accept({ headers, rawBody, contentType: 'application/json' });

        expect(KINDS).toContain(outcome.kind);
        let parsed: unknown;
        let isJson = true;
        try {
          parsed = JSON.parse(text);
        } catch {
          isJson = false;
        }
        const valid = isJson && checkWebhookBody(parsed, variables).ok;
        if (valid) {
          // Storage is offline in this test: a valid delivery must end as 503, never as a 2xx.
          expect(outcome.kind).toBe('unavailable');
        } else {
          expect(outcome).toMatchObject({ kind: 'invalid', status: isJson ? 422 : 400 });
          expect(storage.calls).toEqual([]);
        }
      }),
      { numRuns: 4000 },
    );
  });
});
