/**
 * End to end across the two systems' code: a RITM built from the generated update set's variables
 * (their defaults, plus an instance id) goes through the shipped business rule, script action and
 * script include (node:vm, fakes of the Glide APIs), and the request they produce is posted, byte
 * for byte, to the real intake on Redis. ServiceNow's signing and the connector's verification
 * must agree, and the variables an untouched form sends must pass the connector's validation.
 */
import { catalogItemSysId } from '../../src/catalog/sys-ids';
import { generateUpdateSet } from '../../src/catalog/update-set/build';
import { childElements, onlyChild, parseXml, textOf } from '../../src/catalog/update-set/xml-reader';
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../../src/items/definitions';
import { TEST_WEBHOOK_SECRET } from '../helpers/config';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';
import {
  createSandbox,
  fakeRecord,
  glideDateTime,
  type CapturedRequest,
  type FakeRecord,
} from '../helpers/servicenow-sandbox';
import { newRitmNumber, newSysId, randomSecret } from '../helpers/webhook';

const INSTANCE = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

/** item key → the variables (name → default_value) the update set gives the item. */
function formDefaults(): Record<CatalogItemKey, Record<string, string>> {
  const out = Object.fromEntries(CATALOG_ITEM_KEYS.map((k) => [k, {}])) as Record<
    CatalogItemKey,
    Record<string, string>
  >;
  for (const update of childElements(parseXml(generateUpdateSet().xml), 'sys_update_xml')) {
    const payload = parseXml(textOf(onlyChild(update, 'payload')));
    if (payload.attributes.table !== 'item_option_new') {
      continue;
    }
    const row = onlyChild(payload, 'item_option_new');
    const key = CATALOG_ITEM_KEYS.find((k) => catalogItemSysId(k) === textOf(onlyChild(row, 'cat_item')))!;
    out[key][textOf(onlyChild(row, 'name'))] = textOf(onlyChild(row, 'default_value'));
  }
  return out;
}

const DEFAULTS = formDefaults();

function orderedRitm(item: CatalogItemKey, variables: Record<string, string>): FakeRecord {
  return fakeRecord({
    sysId: newSysId(),
    operation: 'insert',
    fields: {
      number: newRitmNumber(),
      cat_item: catalogItemSysId(item),
      state: '1',
      approval: 'not yet requested',
      sys_updated_on: glideDateTime(Date.now()),
      sys_mod_count: '0',
    },
    variables,
  });
}

describe('ServiceNow webhook scripts → connector intake', () => {
  let app: IntakeApp;

  beforeAll(async () => {
    app = await startIntakeApp();
  });

  afterAll(async () => {
    await app.close();
  });

  /** Runs the business rule and the script action as ServiceNow would; returns what was sent. */
  function submit(ritm: FakeRecord, secrets: string = TEST_WEBHOOK_SECRET, attempts = 1): CapturedRequest[] {
    const sn = createSandbox({
      properties: {
        'x_storware.connector.webhook_url': `${app.url}/webhooks/servicenow`,
        'x_storware.connector.webhook_secrets': secrets,
      },
    });
    sn.runScript('businessRule', { current: ritm, previous: null });
    expect(sn.events).toHaveLength(1);
    const queued = sn.events[0]!;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      sn.runScript('scriptAction', {
        current: ritm,
        event: { parm1: queued.parm1, parm2: String(attempt) },
      });
    }
    return sn.requests;
  }

  /** Posts exactly what RESTMessageV2 was given: method, URL, headers and body. */
  async function post(request: CapturedRequest): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it.each(CATALOG_ITEM_KEYS)(
    'when %s is ordered with the form defaults and an instance id, then the signed submission is accepted (202)',
    async (item) => {
      const ritm = orderedRitm(item, { ...DEFAULTS[item], instance_id: INSTANCE });
      const [request] = submit(ritm);

      const answer = await post(request!);

      expect(answer).toEqual({
        status: 202,
        body: {
          requestId: expect.stringMatching(/^r-[0-9a-f]{32}$/) as unknown,
          ticket: ritm.getValue('number'),
          status: 'queued',
        },
      });
      const entry = await app.ledger.getByNumber(ritm.getValue('number')!);
      expect(entry).toMatchObject({ ritmSysId: ritm.getUniqueValue(), item });
    },
  );

  it('when ServiceNow signs with a secret the connector does not hold, then the delivery is refused (401)', async () => {
    const [request] = submit(
      orderedRitm('storware_backup_now', { ...DEFAULTS.storware_backup_now, instance_id: INSTANCE }),
      randomSecret(),
    );

    const answer = await post(request!);

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: expect.objectContaining({ code: expect.any(String) as unknown }) as unknown,
    });
    expect(await app.ledger.getByNumber(JSON.parse(request!.body).number as string)).toBeUndefined();
  });

  it('when a secret is being rotated, then signing with the new and the old secret is accepted', async () => {
    const [request] = submit(
      orderedRitm('storware_protect_vm', { ...DEFAULTS.storware_protect_vm, instance_id: INSTANCE }),
      `${randomSecret()} ${TEST_WEBHOOK_SECRET}`,
    );
    expect((await post(request!)).status).toBe(202);
  });

  it('when a variable breaks its rule, then the delivery is refused (422) naming variables.instance_id', async () => {
    const [request] = submit(
      orderedRitm('storware_restore_point', { ...DEFAULTS.storware_restore_point, instance_id: 'vm-1' }),
    );

    const answer = await post(request!);

    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      error: {
        code: 'invalid_variables',
        message: expect.any(String) as unknown,
        details: [
          {
            path: 'variables.instance_id',
            message: expect.stringContaining('must be an instance UUID') as unknown,
          },
        ],
      },
    });
  });

  it('when the script action retries a delivery that did arrive, then the retry is answered as a duplicate (200)', async () => {
    const ritm = orderedRitm('storware_backup_now', {
      ...DEFAULTS.storware_backup_now,
      instance_id: INSTANCE,
      window_start: '2026-11-28 22:00:00',
      window_end: '2026-11-29 04:00:00',
    });
    const [first, retry] = submit(ritm, TEST_WEBHOOK_SECRET, 2);
    expect(retry!.headers['webhook-id']).toBe(first!.headers['webhook-id']);

    const accepted = await post(first!);
    const duplicate = await post(retry!);

    expect(accepted.status).toBe(202);
    expect(duplicate).toEqual({ status: 200, body: accepted.body });
  });

  it('when the webhook-id is looked at, then it names the RITM, the event and the version, and fits the connector', () => {
    const ritm = orderedRitm('storware_backup_now', {
      ...DEFAULTS.storware_backup_now,
      instance_id: INSTANCE,
    });
    const [request] = submit(ritm);
    const id = request!.headers['webhook-id']!;
    expect(id).toMatch(new RegExp(`^msg_${ritm.getUniqueValue()}_submitted_0_\\d{14}$`));
    expect(id.length).toBeLessThanOrEqual(256);
  });
});
