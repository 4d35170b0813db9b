/**
 * The simulator's requester side: ordering creates what the platform creates
 * (docs/servicenow.md §2: REQ, RITM, sc_item_option + sc_item_option_mtom, sysapproval_approver),
 * decisions roll up as that section says, and each action sends the signed webhook of
 * docs/design.md ("Webhook"), which must verify with the intake's own `verifyWebhook`; duplicates,
 * delays, reordering and drops behave as asked.
 */
import { verifyWebhook } from '../../src/intake/standard-webhooks';
import { loadCatalog } from '../../src/catalog/definitions';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startServiceNowSimulator, type ServiceNowSimulator } from '../../src/simulators/servicenow';
import { TEST_WEBHOOK_SECRET } from '../helpers/config';
import {
  startReceiver,
  testClock,
  type ReceivedWebhook,
  type TestClock,
  type WebhookReceiver,
} from '../helpers/servicenow-harness';

const ROTATED_SECRET = 'whsec_' + Buffer.from('the-next-secret-after-rotation!!').toString('base64');
const INSTANCE = FIXTURE.instances.acmeWeb.uuid;
const catalog = loadCatalog();

describe('ServiceNow simulator: requester side', () => {
  let sim: ServiceNowSimulator;
  let receiver: WebhookReceiver;
  let clock: TestClock;

  beforeEach(async () => {
    clock = testClock();
    receiver = await startReceiver();
    sim = await startServiceNowSimulator({
      now: clock.now,
      seed: 7,
      connectorUrl: receiver.url,
      webhookSecrets: [TEST_WEBHOOK_SECRET],
    });
  });

  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  function bodyOf(webhook: ReceivedWebhook | undefined): Record<string, unknown> {
    return JSON.parse(webhook?.body.toString('utf8') ?? 'null') as Record<string, unknown>;
  }

  function verify(webhook: ReceivedWebhook, secrets: readonly string[]) {
    return verifyWebhook(
      {
        id: webhook.headers['webhook-id'] as string,
        timestamp: webhook.headers['webhook-timestamp'] as string,
        signature: webhook.headers['webhook-signature'] as string,
        body: webhook.body,
      },
      secrets,
      300,
      clock.now(),
    );
  }

  function orderRestore(webhook?: Parameters<ServiceNowSimulator['requester']['order']>[1]['webhook']) {
    return sim.requester.order('storware_restore_point', {
      requestedFor: 'alice',
      variables: { instance_id: INSTANCE, overwrite: true },
      webhook,
    });
  }

  describe('order (docs/servicenow.md §2)', () => {
    it('when a restore is ordered, then REQ and RITM exist with 7-digit numbers, state 1 and approval requested', async () => {
      const { request, ritm, approvals } = await orderRestore();

      expect(request.number).toBe('REQ0010001');
      expect(ritm.number).toBe('RITM0010001');
      expect(sim.record('sc_req_item', ritm.sysId)).toEqual(
        expect.objectContaining({
          request: request.sysId,
          cat_item: sim.catalogItemSysId('storware_restore_point'),
          requested_for: FIXTURE.users.alice.sysId,
          opened_by: FIXTURE.users.alice.sysId,
          company: FIXTURE.companies.acme.sysId,
          state: '1',
          active: 'true',
          approval: 'requested',
          stage: 'waiting_for_approval',
        }),
      );
      expect(approvals).toHaveLength(1);
      expect(sim.record('sysapproval_approver', approvals[0]!)).toEqual(
        expect.objectContaining({
          approver: FIXTURE.users.bob.sysId,
          sysapproval: ritm.sysId,
          document_id: ritm.sysId,
          source_table: 'sc_req_item',
          state: 'requested',
        }),
      );
    });

    it('when ordered, then every variable of the item has an answer row as a string, linked through the M2M table', async () => {
      const { ritm } = await orderRestore();

      const links = sim.table('sc_item_option_mtom').filter((l) => l.request_item === ritm.sysId);
      const answers = Object.fromEntries(
        links.map((l) => {
          const option = sim.record('sc_item_option', l.sc_item_option!)!;
          return [sim.record('item_option_new', option.item_option_new!)!.name, option.value];
        }),
      );

      const definition = catalog.get('storware_restore_point')!;
      expect(Object.keys(answers).sort()).toEqual(definition.variables.map((v) => v.name).sort());
      expect(answers).toEqual(
        expect.objectContaining({
          instance_id: INSTANCE,
          overwrite: 'true',
          backup_point: 'latest',
          target_name: '',
        }),
      );
    });

    it('when an item needs no approval and none is given, then approval is "not requested" and no approver row exists', async () => {
      const { ritm, approvals } = await sim.requester.order('storware_backup_now', {
        requestedFor: 'carol',
        variables: { instance_id: FIXTURE.instances.globexApp.uuid },
      });

      expect(approvals).toEqual([]);
      expect(sim.record('sc_req_item', ritm.sysId)?.approval).toBe('not requested');
      expect(sim.record('sc_req_item', ritm.sysId)?.company).toBe(FIXTURE.companies.globex.sysId);
    });

    it('when the tenant wants approval for a backup, then the given approvers get rows', async () => {
      const { ritm, approvals } = await sim.requester.order('storware_backup_now', {
        requestedFor: 'carol',
        variables: { instance_id: FIXTURE.instances.globexApp.uuid },
        approvers: ['dave'],
      });

      expect(approvals).toHaveLength(1);
      expect(sim.record('sc_req_item', ritm.sysId)?.approval).toBe('requested');
    });

    it('when the order is wrong (unknown variable, unknown user, restore without a manager), then it is refused', async () => {
      await expect(
        sim.requester.order('storware_backup_now', {
          requestedFor: 'alice',
          variables: { instance_uuid: INSTANCE },
        }),
      ).rejects.toThrow('has no variable(s) instance_uuid');
      await expect(sim.requester.order('storware_backup_now', { requestedFor: 'mallory' })).rejects.toThrow(
        'no user "mallory"',
      );
      await expect(sim.requester.order('storware_restore_point', { requestedFor: 'erin' })).rejects.toThrow(
        'has no manager',
      );
      expect(sim.table('sc_req_item')).toHaveLength(0);
    });
  });

  describe('approvals (docs/servicenow.md §2 roll-up)', () => {
    it('when one of two approvers approves, then the RITM stays requested; when both do, it is approved', async () => {
      const { ritm } = await sim.requester.order('storware_restore_point', {
        requestedFor: 'alice',
        variables: { instance_id: INSTANCE },
        approvers: ['bob', 'dave'],
      });

      await sim.requester.approve(ritm.number, 'bob', 'ok from bob');
      expect(sim.record('sc_req_item', ritm.sysId)?.approval).toBe('requested');

      await sim.requester.approve(ritm.number, 'dave');
      expect(sim.record('sc_req_item', ritm.sysId)).toEqual(
        expect.objectContaining({ approval: 'approved', state: '1', active: 'true' }),
      );
      const bobRow = sim.table('sysapproval_approver').find((a) => a.approver === FIXTURE.users.bob.sysId)!;
      expect(sim.journal(bobRow.sys_id!, 'comments').map((e) => [e.value, e.createdBy])).toEqual([
        ['ok from bob', 'bob.acme'],
      ]);
    });

    it('when any approver rejects, then the RITM is rejected, closed incomplete, and pending rows are no longer required', async () => {
      const { ritm } = await sim.requester.order('storware_restore_point', {
        requestedFor: 'alice',
        variables: { instance_id: INSTANCE },
        approvers: ['bob', 'dave'],
      });

      await sim.requester.reject(ritm.sysId, 'bob', 'not during the audit');

      expect(sim.record('sc_req_item', ritm.sysId)).toEqual(
        expect.objectContaining({ approval: 'rejected', state: '4', active: 'false' }),
      );
      expect(
        sim
          .table('sysapproval_approver')
          .map((a) => a.state)
          .sort(),
      ).toEqual(['not_required', 'rejected']);
      expect(bodyOf(receiver.received.at(-1)).event).toBe('ritm.updated');
    });

    it('when someone without a pending approval tries to approve, then it is refused', async () => {
      const { ritm } = await orderRestore();

      await expect(sim.requester.approve(ritm.sysId, 'dave')).rejects.toThrow('has no pending approval');
    });
  });

  describe('changes and cancellation', () => {
    it('when variables change, then the answer rows change, the RITM is touched and ritm.updated carries the new answers', async () => {
      const { ritm } = await orderRestore();
      clock.advance(10_000);

      await sim.requester.updateVariables(ritm.sysId, { target_name: 'acme-web-restored', overwrite: false });

      expect(sim.requester.variables(ritm.sysId)).toEqual(
        expect.objectContaining({ target_name: 'acme-web-restored', overwrite: 'false' }),
      );
      expect(sim.record('sc_req_item', ritm.sysId)).toEqual(
        expect.objectContaining({ sys_mod_count: '1', sys_updated_on: '2026-03-02 10:15:40' }),
      );
      const last = bodyOf(receiver.received.at(-1));
      expect(last.event).toBe('ritm.updated');
      expect(last.sys_updated_on).toBe('2026-03-02 10:15:40');
      expect(last.variables).toEqual(
        expect.objectContaining({ target_name: 'acme-web-restored', overwrite: 'false' }),
      );
    });

    it('when a RITM is cancelled, then it is closed incomplete (state 4, inactive) and ritm.cancelled is sent', async () => {
      const { ritm, approvals } = await orderRestore();

      await sim.requester.cancel(ritm.number);

      expect(sim.record('sc_req_item', ritm.sysId)).toEqual(
        expect.objectContaining({ state: '4', active: 'false', stage: 'request_cancelled' }),
      );
      expect(sim.record('sc_req_item', ritm.sysId)?.closed_at).not.toBe('');
      expect(sim.record('sysapproval_approver', approvals[0]!)?.state).toBe('not_required');
      expect(bodyOf(receiver.received.at(-1)).event).toBe('ritm.cancelled');
      await expect(sim.requester.cancel(ritm.number)).rejects.toThrow('already closed');
    });
  });

  describe('webhooks (docs/design.md "Webhook")', () => {
    it('when an order is placed, then one signed POST reaches /webhooks/servicenow with the contract body', async () => {
      const { ritm, deliveries } = await orderRestore();

      expect(receiver.received).toHaveLength(1);
      const webhook = receiver.received[0]!;
      expect(webhook.headers['content-type']).toBe('application/json');
      expect(bodyOf(webhook)).toEqual({
        event: 'ritm.submitted',
        sys_id: ritm.sysId,
        number: ritm.number,
        cat_item: 'storware_restore_point',
        sys_updated_on: '2026-03-02 10:15:30',
        variables: sim.requester.variables(ritm.sysId),
      });
      expect(verify(webhook, [TEST_WEBHOOK_SECRET])).toEqual({
        ok: true,
        id: webhook.headers['webhook-id'],
        timestamp: Math.floor(clock.now() / 1000),
      });
      expect(deliveries).toEqual([
        expect.objectContaining({
          state: 'answered',
          status: 202,
          copy: 0,
          webhookId: webhook.headers['webhook-id'],
        }),
      ]);
      expect(JSON.parse(deliveries[0]!.responseBody!)).toEqual({ ok: true, n: 1 });
    });

    it('when signed with a wrong secret, then the intake verification fails (the signature is real, not decorative)', async () => {
      await orderRestore();

      expect(verify(receiver.received[0]!, [ROTATED_SECRET])).toEqual({
        ok: false,
        reason: 'invalid_signature',
      });
    });

    it('when two secrets are configured (rotation), then a receiver holding either one verifies the delivery', async () => {
      sim.webhooks.setSecrets([TEST_WEBHOOK_SECRET, ROTATED_SECRET]);

      await orderRestore();

      expect(verify(receiver.received[0]!, [TEST_WEBHOOK_SECRET]).ok).toBe(true);
      expect(verify(receiver.received[0]!, [ROTATED_SECRET]).ok).toBe(true);
    });

    it('when duplicates are asked for, then the same body arrives N+1 times with the same webhook-id', async () => {
      await orderRestore({ duplicates: 2 });

      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((w) => w.headers['webhook-id'])).size).toBe(1);
      expect(new Set(receiver.received.map((w) => w.body.toString('utf8'))).size).toBe(1);
    });

    it('when duplicates with new ids are asked for, then each copy has its own webhook-id and still verifies', async () => {
      const { deliveries } = await orderRestore({ duplicates: 1, duplicateIds: 'new', concurrent: true });

      expect(deliveries.map((d) => d.copy)).toEqual([0, 1]);
      expect(new Set(receiver.received.map((w) => w.headers['webhook-id'])).size).toBe(2);
      expect(receiver.received.every((w) => verify(w, [TEST_WEBHOOK_SECRET]).ok)).toBe(true);
    });

    it('when the first event is delayed, then a later one overtakes it and idle() waits for the late one', async () => {
      const first = await orderRestore({ delayMs: 100 });
      const second = await sim.requester.order('storware_backup_now', {
        requestedFor: 'carol',
        variables: { instance_id: INSTANCE },
      });
      expect(first.deliveries[0]?.state).toBe('scheduled');

      await sim.webhooks.idle();

      expect(receiver.received.map((w) => bodyOf(w).number)).toEqual([second.ritm.number, first.ritm.number]);
      expect(first.deliveries[0]?.state).toBe('answered');
    });

    it('when deliveries are held and released last-in-first-out, then the connector sees them reordered', async () => {
      const { ritm } = await orderRestore({ mode: 'hold' });
      await sim.requester.approve(ritm.sysId, 'bob', undefined, { mode: 'hold' });
      expect(receiver.received).toHaveLength(0);
      expect(sim.webhooks.held().map((d) => d.payload.event)).toEqual(['ritm.submitted', 'ritm.updated']);

      const released = await sim.webhooks.release({ order: 'lifo' });

      expect(released.map((d) => d.state)).toEqual(['answered', 'answered']);
      expect(receiver.received.map((w) => bodyOf(w).event)).toEqual(['ritm.updated', 'ritm.submitted']);
      expect(sim.webhooks.held()).toEqual([]);
    });

    it('when a delivery is dropped, then nothing is sent and the loss is recorded', async () => {
      const { ritm } = await orderRestore({ mode: 'drop' });

      await sim.webhooks.idle();

      expect(receiver.received).toHaveLength(0);
      expect(sim.webhooks.deliveries({ sysId: ritm.sysId })).toEqual([
        expect.objectContaining({ state: 'dropped' }),
      ]);
    });

    it("when the connector answers 503, then the delivery records the connector's status and body", async () => {
      receiver.status = 503;

      const { deliveries } = await orderRestore();

      expect(deliveries[0]).toEqual(expect.objectContaining({ state: 'answered', status: 503 }));
    });

    it('when no connector listens, then the delivery fails with the network code', async () => {
      await receiver.close();

      const { deliveries } = await orderRestore();

      expect(deliveries[0]).toEqual(expect.objectContaining({ state: 'failed', error: 'ECONNREFUSED' }));
    });
  });

  it('when the requester side is driven over HTTP, then orders and decisions work the same', async () => {
    const ordered = await fetch(`${sim.url}/__requester/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        item: 'storware_restore_point',
        requestedFor: 'alice',
        variables: { instance_id: INSTANCE },
      }),
    });
    const { ritm } = (await ordered.json()) as { ritm: { sysId: string; number: string } };
    const approved = await fetch(`${sim.url}/__requester/ritm/${ritm.number}/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ approver: 'bob' }),
    });
    const refused = await fetch(`${sim.url}/__requester/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ item: 'storware_nothing', requestedFor: 'alice' }),
    });

    expect(ordered.status).toBe(200);
    expect(approved.status).toBe(200);
    expect(sim.record('sc_req_item', ritm.sysId)?.approval).toBe('approved');
    expect(refused.status).toBe(400);
  });

  it('when two simulators get the same seed and actions, then ids, numbers and webhook ids are the same', async () => {
    const runs = [];
    for (const seed of [42, 42, 43]) {
      const other = await startServiceNowSimulator({
        now: testClock().now,
        seed,
        connectorUrl: receiver.url,
        webhookSecrets: [TEST_WEBHOOK_SECRET],
      });
      try {
        const result = await other.requester.order('storware_restore_point', {
          requestedFor: 'alice',
          variables: { instance_id: INSTANCE },
        });
        runs.push({
          ritm: result.ritm,
          approvals: result.approvals,
          webhookId: result.deliveries[0]?.webhookId,
        });
      } finally {
        await other.close();
      }
    }

    expect(runs[0]).toEqual(runs[1]);
    expect(runs[2]?.ritm.sysId).not.toBe(runs[0]?.ritm.sysId);
    expect(runs[2]?.ritm.number).toBe(runs[0]?.ritm.number);
  });
});
