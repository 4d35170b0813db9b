/**
 * The script include, business rule and script action shipped to ServiceNow, run in node:vm with
 * fakes of the Glide APIs (test/helpers/servicenow-sandbox.ts). The signatures they produce are
 * checked with the connector's own verifier, so the two sides cannot drift apart.
 */
import fc from 'fast-check';
import { verifyWebhook } from '../../src/intake/standard-webhooks';
import { catalogItemSysId } from '../../src/catalog/sys-ids';
import { BUSINESS_RULE_CONDITION } from '../../src/catalog/update-set/records';
import { randomSecret } from '../helpers/webhook';
import {
  createSandbox,
  fakeRecord,
  type FakeRecord,
  type SandboxOptions,
  type ServiceNowSandbox,
} from '../helpers/servicenow-sandbox';

const URL_PROPERTY = 'x_storware.connector.webhook_url';
const SECRETS_PROPERTY = 'x_storware.connector.webhook_secrets';
const USER_PROPERTY = 'x_storware.connector.integration_user';
const EVENT = 'x_storware.connector.ritm_webhook';
const ENDPOINT = 'https://connector.example.com/webhooks/servicenow';
const NOW = Date.UTC(2026, 10, 28, 21, 5, 0);
const RITM_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const SECRET = randomSecret();

function sandbox(options: SandboxOptions = {}): ServiceNowSandbox {
  return createSandbox({
    nowMs: () => NOW,
    properties: { [URL_PROPERTY]: ENDPOINT, [SECRETS_PROPERTY]: SECRET, [USER_PROPERTY]: 'svc.storware' },
    ...options,
  });
}

function ritm(
  fields: Record<string, string> = {},
  extra: {
    variables?: Record<string, string>;
    changedVariables?: string[];
    operation?: 'insert' | 'update';
  } = {},
): FakeRecord {
  return fakeRecord({
    sysId: RITM_ID,
    fields: {
      number: 'RITM0010001',
      cat_item: catalogItemSysId('storware_backup_now'),
      state: '1',
      stage: 'waiting_for_approval',
      approval: 'requested',
      sys_updated_on: '2026-11-28 21:03:11',
      sys_mod_count: '3',
      ...fields,
    },
    variables: extra.variables ?? {
      instance_id: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
      backup_type: 'FULL',
      priority: '50',
      window_start: '',
      window_end: '',
    },
    ...(extra.changedVariables ? { changedVariables: extra.changedVariables } : {}),
    ...(extra.operation ? { operation: extra.operation } : {}),
  });
}

const seen = (event = 'ritm.submitted') =>
  JSON.stringify({ event, sys_updated_on: '2026-11-28 21:03:11', sys_mod_count: '3' });

function verify(request: { headers: Record<string, string>; body: string }, secrets: string[]) {
  return verifyWebhook(
    {
      id: request.headers['webhook-id'],
      timestamp: request.headers['webhook-timestamp'],
      signature: request.headers['webhook-signature'],
      body: Buffer.from(request.body, 'utf8'),
    },
    secrets,
    300,
    NOW,
  );
}

describe('StorwareConnectorWebhook.classify (the business rule condition)', () => {
  const sn = sandbox();
  const hook = sn.webhook();

  it.each([
    [
      'an insert of a Storware item',
      'ritm.submitted',
      () => [ritm({}, { operation: 'insert' }), null] as const,
    ],
    [
      'an insert of another catalog item',
      '',
      () => [ritm({ cat_item: 'ffffffffffffffffffffffffffffffff' }, { operation: 'insert' }), null] as const,
    ],
    ['an approval change', 'ritm.updated', () => [ritm({ approval: 'approved' }), ritm()] as const],
    [
      'a variable change',
      'ritm.updated',
      () => [ritm({}, { changedVariables: ['instance_id'] }), ritm()] as const,
    ],
    ['a work-notes-only update', '', () => [ritm({ sys_mod_count: '4' }), ritm()] as const],
    [
      'the state moving to Closed Incomplete',
      'ritm.cancelled',
      () => [ritm({ state: '4' }), ritm()] as const,
    ],
    ['the state moving to Closed Skipped', 'ritm.cancelled', () => [ritm({ state: '7' }), ritm()] as const],
    [
      'the stage moving to Request Cancelled',
      'ritm.cancelled',
      () => [ritm({ stage: 'Request Cancelled' }), ritm()] as const,
    ],
    ['an update of an already closed RITM', '', () => [ritm({ state: '4' }), ritm({ state: '4' })] as const],
    [
      'an update without previous (as an async rule would see it)',
      '',
      () => [ritm({ approval: 'approved' }), null] as const,
    ],
  ])('when it sees %s, then it answers "%s"', (_what, expected, records) => {
    const [current, previous] = records();
    expect(hook.classify(current, previous)).toBe(expected);
  });

  it('when the connector itself closes the RITM, then that is not reported as a cancellation', () => {
    const asConnector = sandbox({ userName: 'svc.storware' }).webhook();
    expect(asConnector.classify(ritm({ state: '4' }), ritm())).toBe('');
    expect(asConnector.classify(ritm({ state: '4', approval: 'rejected' }), ritm())).toBe('ritm.updated');
  });

  it('when a cancellation comes with an approval change, then cancelled wins', () => {
    expect(hook.classify(ritm({ state: '4', approval: 'rejected' }), ritm())).toBe('ritm.cancelled');
  });

  it('when the shipped condition is evaluated, then it is true exactly when classify has an event', () => {
    expect(
      sn.run(BUSINESS_RULE_CONDITION, { current: ritm({ approval: 'approved' }), previous: ritm() }),
    ).toBe(true);
    expect(sn.run(BUSINESS_RULE_CONDITION, { current: ritm(), previous: ritm() })).toBe(false);
  });
});

describe('the business rule and StorwareConnectorWebhook.notify', () => {
  it('when the shipped business rule runs on a change, then one event carries what it saw and attempt 1', () => {
    const sn = sandbox();
    const current = ritm({ approval: 'approved', sys_mod_count: '5' });
    sn.runScript('businessRule', { current, previous: ritm() });

    expect(sn.events).toEqual([
      {
        name: EVENT,
        record: current,
        parm1: JSON.stringify({
          event: 'ritm.updated',
          sys_updated_on: '2026-11-28 21:03:11',
          sys_mod_count: '5',
        }),
        parm2: '1',
      },
    ]);
    expect(sn.requests).toEqual([]);
  });

  it('when nothing the connector cares about changed, then nothing is queued', () => {
    const sn = sandbox();
    sn.runScript('businessRule', { current: ritm(), previous: ritm() });
    expect(sn.events).toEqual([]);
  });
});

describe('StorwareConnectorWebhook.deliver (the script action)', () => {
  it('when the script action sends a submission, then the request is a POST the connector verifies', () => {
    const sn = sandbox();
    const status = sn.runScript('scriptAction', { current: ritm(), event: { parm1: seen(), parm2: '1' } });

    expect(status).toBe('delivered');
    expect(sn.requests).toHaveLength(1);
    const request = sn.requests[0]!;
    expect(request).toMatchObject({
      endpoint: ENDPOINT,
      method: 'POST',
      timeoutMs: 10000,
      substitutionDisabled: true,
    });
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'webhook-id': `msg_${RITM_ID}_submitted_3_20261128210311`,
      'webhook-timestamp': String(NOW / 1000),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) as unknown,
    });
    expect(JSON.parse(request.body)).toEqual({
      event: 'ritm.submitted',
      sys_id: RITM_ID,
      number: 'RITM0010001',
      cat_item: 'storware_backup_now',
      sys_updated_on: '2026-11-28 21:03:11',
      variables: {
        backup_type: 'FULL',
        instance_id: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
        priority: '50',
        window_end: '',
        window_start: '',
      },
    });
    expect(verify(request, [SECRET])).toMatchObject({ ok: true });
    expect(verify(request, [randomSecret()])).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('when a delivery is retried later, then the webhook-id stays and the timestamp and signature are fresh', () => {
    const sn = sandbox({ nowMs: undefined });
    sn.setNow(NOW);
    sn.webhook().deliver(ritm(), seen('ritm.updated'), '1');
    sn.setNow(NOW + 90_000);
    sn.webhook().deliver(
      ritm({ sys_updated_on: '2026-11-28 21:04:00', sys_mod_count: '4' }),
      seen('ritm.updated'),
      '2',
    );

    const [first, second] = sn.requests;
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(Number(second!.headers['webhook-timestamp'])).toBe(
      Number(first!.headers['webhook-timestamp']) + 90,
    );
    expect(second!.headers['webhook-signature']).not.toBe(first!.headers['webhook-signature']);
    // The body keeps the update time the rule saw, so the connector's event dedupe matches too.
    expect(JSON.parse(second!.body)).toMatchObject({ sys_updated_on: '2026-11-28 21:03:11' });
  });

  it('when two secrets are configured (rotation), then the delivery carries one signature per secret', () => {
    const next = randomSecret();
    const sn = sandbox({
      properties: { [URL_PROPERTY]: ENDPOINT, [SECRETS_PROPERTY]: ` ${next}   ${SECRET} ` },
    });
    sn.webhook().deliver(ritm(), seen(), '1');

    const request = sn.requests[0]!;
    expect(request.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(request, [SECRET])).toMatchObject({ ok: true });
    expect(verify(request, [next])).toMatchObject({ ok: true });
    expect(sn.webhook().secrets()).toEqual([next, SECRET]);
  });

  it('when only the older global MAC class exists, then it signs with that one', () => {
    const sn = sandbox({ legacyMacClass: true });
    expect(sn.webhook().deliver(ritm(), seen(), '1')).toBe('delivered');
    expect(verify(sn.requests[0]!, [SECRET])).toMatchObject({ ok: true });
  });

  it('when answers hold non-ASCII text and ${…}, then the body is ASCII, means the same, and verifies', () => {
    const sn = sandbox();
    const variables = { target_name: 'Zürich-ﬁle 🚀', note: 'costs ${price} & <more>' };
    sn.webhook().deliver(ritm({}, { variables }), seen(), '1');

    const request = sn.requests[0]!;
    expect(request.body).toMatch(/^[\x20-\x7e]*$/);
    expect((JSON.parse(request.body) as { variables: unknown }).variables).toEqual(variables);
    expect(request.substitutionDisabled).toBe(true);
    expect(verify(request, [SECRET])).toMatchObject({ ok: true });
  });

  it('property: whatever the answers, the connector verifies the signature of the bytes sent', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[a-z][a-z0-9_]{0,19}$/),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          {
            maxKeys: 6,
          },
        ),
        fc.constantFrom('ritm.submitted', 'ritm.updated', 'ritm.cancelled'),
        (variables, event) => {
          const sn = sandbox();
          sn.webhook().deliver(ritm({}, { variables }), seen(event), '1');
          const request = sn.requests[0]!;
          expect(verify(request, [SECRET])).toMatchObject({ ok: true });
          expect(JSON.parse(request.body)).toMatchObject({ event, variables });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('when the connector is unavailable, then a retry is queued with the same event, the next attempt and a delay', () => {
    const sn = sandbox({ respond: () => ({ status: 503, headers: { 'Retry-After': '120' }, body: '{}' }) });
    const current = ritm();
    expect(sn.webhook().deliver(current, seen('ritm.updated'), '2')).toBe('retry_scheduled');

    expect(sn.events).toEqual([
      { name: EVENT, record: current, parm1: seen('ritm.updated'), parm2: '3', processOnMs: NOW + 120_000 },
    ]);
    expect(sn.logs.map((l) => l.level)).toEqual(['warn']);
  });

  it.each([
    ['the call throws', { throwOnSend: 'Connection refused' }],
    ['no answer comes (status 0)', { respond: () => ({ status: 0, error: 'Read timed out' }) }],
    ['the connector times out (408)', { respond: () => ({ status: 408 }) }],
    ['the connector throttles (429)', { respond: () => ({ status: 429 }) }],
  ])('when %s, then that is retried too, after the backoff', (_what, options: SandboxOptions) => {
    const sn = sandbox(options);
    expect(sn.webhook().deliver(ritm(), seen(), '1')).toBe('retry_scheduled');
    expect(sn.events[0]).toMatchObject({ parm2: '2', processOnMs: NOW + 30_000 });
  });

  it('when the backoff grows, then it doubles up to an hour and never undercuts Retry-After', () => {
    const hook = sandbox().webhook();
    expect([1, 2, 3, 4, 8, 20].map((a) => hook.retryDelaySeconds(a, 0))).toEqual([
      30, 60, 120, 240, 3600, 3600,
    ]);
    expect(hook.retryDelaySeconds(1, 600)).toBe(600);
  });

  it('when the connector refuses the delivery (4xx), then it is logged once and not retried', () => {
    const sn = sandbox({
      respond: () => ({ status: 422, body: '{"error":{"code":"invalid_variables","message":"…"}}' }),
    });
    expect(sn.webhook().deliver(ritm(), seen(), '1')).toBe('refused');
    expect(sn.events).toEqual([]);
    expect(sn.logs).toEqual([{ level: 'error', message: expect.stringContaining('HTTP 422') as unknown }]);
    expect(JSON.stringify(sn.logs)).not.toContain(SECRET.slice(6));
    expect(JSON.stringify(sn.logs)).not.toContain(sn.requests[0]!.headers['webhook-signature']!.slice(3));
  });

  it('when the last attempt fails, then it gives up and says the reconciler will repair it', () => {
    const sn = sandbox({
      respond: () => ({ status: 500 }),
      properties: {
        [URL_PROPERTY]: ENDPOINT,
        [SECRETS_PROPERTY]: SECRET,
        'x_storware.connector.max_attempts': '3',
      },
    });
    expect(sn.webhook().deliver(ritm(), seen(), '3')).toBe('gave_up');
    expect(sn.events).toEqual([]);
    expect(sn.logs[0]!.message).toContain('reconciler');
  });

  it('when the properties are not set, then nothing is sent and the log names them', () => {
    const sn = sandbox({ properties: {} });
    expect(sn.webhook().deliver(ritm(), seen(), '1')).toBe('not_configured');
    expect(sn.requests).toEqual([]);
    expect(sn.logs[0]!.message).toContain(URL_PROPERTY);
  });

  it('when the queued event is not one it wrote, then it is skipped', () => {
    const sn = sandbox();
    expect(sn.webhook().deliver(ritm(), '{"event":"ritm.deleted"}', '1')).toBe('skipped');
    expect(sn.webhook().deliver(ritm(), 'not json', '1')).toBe('skipped');
    expect(sn.requests).toEqual([]);
  });
});
