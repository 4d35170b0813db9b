/**
 * The per-tenant start throttle through the whole stack: ACME may start 2 requests per (shortened)
 * window, orders 5 backups at once, and Globex orders one. Every backup completes with exactly one
 * export, ACME's start in windows of 2, Globex's does not queue behind them, and each throttled
 * ticket is told once.
 */
import { localConnectorYaml } from '../../src/cli/local-stack';
import { ledgerKeys } from '../../src/ledger/codec';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { ADMITTED_FIELD } from '../../src/tenancy/tenant-starts';
import { startTestStack, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const WINDOW_MS = 2_000;
const ACME_LIMIT = 2;
const WAITING_NOTE =
  /^Waiting for a Storware slot: tenant acme may start 2 request\(s\) per minute; this one starts at about \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. \[ref /;

describe('per-tenant start throttle, end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // ACME's own limit (the override); no default, so Globex is not limited at all.
    const connectorYaml = localConnectorYaml().replace(
      '  - id: acme\n',
      `  - id: acme\n    startsPerMinute: ${ACME_LIMIT}\n`,
    );
    stack = await startTestStack({ connectorYaml, workerOptions: { tenantStartWindowMs: WINDOW_MS } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('when a tenant orders more backups than it may start per window, then they start in turn, all complete, and the other tenant is not held up', async () => {
    const acmeInstances = [
      FIXTURE.instances.acmeWeb.uuid,
      FIXTURE.instances.acmeDb.uuid,
      FIXTURE.instances.acmeWeb.uuid,
      FIXTURE.instances.acmeDb.uuid,
      FIXTURE.instances.acmeWeb.uuid,
    ];
    const acme = [];
    for (const instance_id of acmeInstances) {
      const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
        requestedFor: 'alice',
        variables: { instance_id, backup_type: 'FULL', priority: 50 },
      });
      acme.push(ritm);
    }
    const { ritm: globex } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'carol',
      variables: { instance_id: FIXTURE.instances.globexApp.uuid, backup_type: 'FULL', priority: 50 },
    });

    const globexDone = await stack.waitForFinish(globex.sysId, 30_000);
    const acmeDone = [];
    for (const ritm of acme) {
      acmeDone.push(await stack.waitForFinish(ritm.sysId, 30_000));
    }

    // I1: everything completes, each request with its own single export.
    for (const entry of [...acmeDone, globexDone]) {
      expect(entry.state).toBe('succeeded');
      expect(entry.tasks.export?.guid).toBeDefined();
    }
    const exports = stack.storware.state.tasks().filter((t) => t.type === 'EXPORT');
    expect(exports).toHaveLength(6);
    expect(new Set([...acmeDone, globexDone].map((e) => e.tasks.export!.guid))).toEqual(
      new Set(exports.map((t) => t.guid)),
    );

    // ACME's starts: never more than 2 in any window (admission times from the ledger mark).
    const admittedAt = (
      await Promise.all(
        acmeDone.map((e) => stack.redis.hget(ledgerKeys(stack.prefix).data(e.requestId), ADMITTED_FIELD)),
      )
    )
      .map(Number)
      .sort((a, b) => a - b);
    expect(admittedAt.every((t) => t > 0)).toBe(true);
    for (let i = ACME_LIMIT; i < admittedAt.length; i += 1) {
      expect(admittedAt[i]! - admittedAt[i - ACME_LIMIT]!).toBeGreaterThanOrEqual(WINDOW_MS);
    }
    const throttled = acmeDone.filter((e) => e.timeline.some((ev) => ev.type === 'tenant.throttled'));
    expect(throttled).toHaveLength(acme.length - ACME_LIMIT);
    for (const entry of throttled) {
      expect(entry.timeline.filter((ev) => ev.type === 'tenant.throttled')).toHaveLength(1);
      expect(entry.timeline.filter((ev) => ev.type === 'tenant.admitted')).toHaveLength(1);
    }
    // First come, first served: the throttled ones started in the order they joined the line.
    const place = (e: (typeof throttled)[number]) => {
      const queuedAt = e.timeline.find((ev) => ev.type === 'tenant.throttled')?.data?.queuedAt;
      return [Number(queuedAt), e.requestId] as const;
    };
    const byPlace = [...throttled].sort((x, y) => {
      const [qx, ix] = place(x);
      const [qy, iy] = place(y);
      return qx - qy || (ix < iy ? -1 : 1);
    });
    const admissionOf = async (e: (typeof throttled)[number]) =>
      Number(await stack.redis.hget(ledgerKeys(stack.prefix).data(e.requestId), ADMITTED_FIELD));
    const admittedInPlaceOrder = await Promise.all(byPlace.map(admissionOf));
    expect(admittedInPlaceOrder).toEqual([...admittedInPlaceOrder].sort((a, b) => a - b));

    // Globex started right away: before the last of ACME's backups could start.
    expect(globexDone.timeline.some((ev) => ev.type === 'tenant.throttled')).toBe(false);
    const globexExport = exports.find((t) => t.guid === globexDone.tasks.export!.guid)!;
    const lastAcmeExport = Math.max(
      ...exports.filter((t) => t.guid !== globexExport.guid).map((t) => t.createdAt),
    );
    expect(globexExport.createdAt).toBeLessThan(lastAcmeExport);
    expect(globexExport.createdAt).toBeLessThan(admittedAt[admittedAt.length - 1]!);

    // Each throttled ticket got the note exactly once; the others none; nobody a comment about it.
    for (const [i, ritm] of acme.entries()) {
      await stack.waitForTicketState(ritm.sysId, '3');
      const notes = stack
        .notes(ritm.sysId, 'work_notes')
        .filter((n) => n.startsWith('Waiting for a Storware slot'));
      const wasThrottled = throttled.includes(acmeDone[i]!);
      expect(notes).toHaveLength(wasThrottled ? 1 : 0);
      if (wasThrottled) {
        expect(notes[0]).toMatch(WAITING_NOTE);
      }
      expect(stack.notes(ritm.sysId, 'comments').join('\n')).not.toMatch(/slot/i);
    }
    await stack.waitForTicketState(globex.sysId, '3');
    expect(stack.notes(globex.sysId, 'work_notes').join('\n')).not.toMatch(/Storware slot/);

    // Nobody is left in ACME's line.
    expect(await stack.redis.zcard(`${stack.prefix}:tenant-starts:acme:line`)).toBe(0);
  });
});
