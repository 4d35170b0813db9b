/**
 * The webhook door, attacked (docs/reliability.md §4.3 S2, S3, S7; OWASP API3 mass assignment, API4
 * resource consumption): fields that would let a sender choose the tenant, the request, the state
 * or a callback URL; prototype pollution; hostile variables; bodies at and over the size limit.
 * Every one is refused with the documented status before anything is recorded, and nothing of the
 * refused input changes process state.
 */
import { validBody, signedDelivery, type BodyFields } from '../helpers/webhook';
import { startIntakeApp, type IntakeApp } from '../helpers/intake-app';

async function post(app: IntakeApp, delivery: { headers: Record<string, string>; rawBody: Buffer }) {
  const res = await fetch(`${app.url}/webhooks/servicenow`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.rawBody,
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: JSON.parse(text || '{}') as { error?: { code?: string; details?: Array<{ path?: string }> } },
  };
}

describe('webhook: unknown fields, mass assignment and limits', () => {
  let app: IntakeApp;

  beforeAll(async () => {
    app = await startIntakeApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function nothingRecorded(body: BodyFields): Promise<void> {
    expect(await app.ledger.getByRitm(body.sys_id)).toBeUndefined();
    const jobs = await app.queues.requests.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.filter((j) => j.data?.ritmSysId === body.sys_id)).toEqual([]);
  }

  it.each([
    ['requestId', 'r-00000000000000000000000000000000'],
    ['tenant', 'globex'],
    ['company', 'a1c0e000000000000000000000000002'],
    ['openStackProjectId', '5e1f0a0c0de04c0a9e0a0c0e00000002'],
    ['project_id', '5e1f0a0c0de04c0a9e0a0c0e00000002'],
    ['requested_for', 'b0b0e000000000000000000000000003'],
    ['state', 3],
    ['approval', 'approved'],
    ['callback_url', 'http://169.254.169.254/latest/meta-data/'],
    ['storware_url', 'http://attacker.example/api'],
    ['webhook_url', 'http://127.0.0.1:1/'],
    ['jobId', 'run-r-00000000000000000000000000000000'],
    ['priority', 1000],
  ])('when the body also sets %s, then 422 names it and nothing is recorded', async (field, value) => {
    const body = validBody({ [field]: value });
    const res = await post(app, signedDelivery(body));
    expect(res.status).toBe(422);
    expect(res.body.error?.details?.map((d) => d.path)).toContain(field);
    await nothingRecorded(body);
  });

  it.each([
    ['tenant', 'globex'],
    ['project_id', '5e1f0a0c0de04c0a9e0a0c0e00000002'],
    ['callback_url', 'http://169.254.169.254/'],
    ['requested_for', 'b0b0e000000000000000000000000003'],
    ['storware_vm_guid', 'd3adbeef-0000-4000-8000-000000000000'],
  ])(
    'when the variables carry an extra %s, then 422 names it and nothing is recorded',
    async (name, value) => {
      const body = validBody();
      body.variables = { ...body.variables, [name]: value };
      const res = await post(app, signedDelivery(body));
      expect(res.status).toBe(422);
      expect(res.body.error?.details?.map((d) => d.path)).toContain(`variables.${name}`);
      await nothingRecorded(body);
    },
  );

  it.each([
    ['an absolute URL', 'http://169.254.169.254/latest/meta-data/'],
    ['a path traversal', '../../../../etc/passwd'],
    ['markup', '<img src=x onerror=alert(1)>'],
    ['a decimal IP', '2130706433'],
    ['a query', '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b?project-uuid=5e1f0a0c0de04c0a9e0a0c0e00000002'],
  ])(
    'when the instance id is %s, then 422 names variables.instance_id and nothing is recorded',
    async (_what, value) => {
      const body = validBody();
      body.variables = { ...body.variables, instance_id: value };
      const res = await post(app, signedDelivery(body));
      expect(res.status).toBe(422);
      expect(res.body.error?.details?.map((d) => d.path)).toContain('variables.instance_id');
      expect(res.text).not.toContain('169.254.169.254');
      await nothingRecorded(body);
    },
  );

  it('when the body tries prototype pollution, then it is refused and no object in the process changes', async () => {
    for (const raw of [
      (b: BodyFields) => JSON.stringify(b).replace(/^\{/, '{"__proto__":{"polluted":"yes"},'),
      (b: BodyFields) => JSON.stringify(b).replace(/^\{/, '{"constructor":{"prototype":{"polluted":"yes"}},'),
      (b: BodyFields) =>
        JSON.stringify(b).replace('"variables":{', '"variables":{"__proto__":{"polluted":"yes"},'),
    ]) {
      const body = validBody();
      const text = raw(body);
      const res = await post(app, signedDelivery(body, { raw: text }));
      expect({ body: text.slice(0, 60), status: res.status }).toEqual({
        body: text.slice(0, 60),
        status: 422,
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await nothingRecorded(body);
    }
  });

  it('when the body is exactly at the limit it is read, and one byte over it is 413 before the signature is even looked at', async () => {
    const limit = app.config.webhook.maxBodyBytes;
    const body = validBody();
    const json = JSON.stringify(body);
    // Trailing whitespace keeps it valid JSON and valid under the signature.
    const atLimit = json + ' '.repeat(limit - Buffer.byteLength(json));
    expect(Buffer.byteLength(atLimit)).toBe(limit);
    const ok = await post(app, signedDelivery(body, { raw: atLimit }));
    expect(ok.status).toBe(202);

    const over = await post(app, signedDelivery(body, { raw: `${atLimit} ` }));
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe('payload_too_large');

    const unsigned = await fetch(`${app.url}/webhooks/servicenow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(5 * 1024 * 1024, 0x20),
    });
    expect(unsigned.status).toBe(413);
  });

  it('when a flood of signed copies of one delivery arrives at once, then exactly one request and one job result, every answer is 2xx', async () => {
    const body = validBody();
    const delivery = signedDelivery(body);
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(app, delivery)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.every((s) => s === 202 || s === 200)).toBe(true);
    expect(new Set(answers.map((a) => (JSON.parse(a.text) as { requestId: string }).requestId)).size).toBe(1);
    const entry = await app.ledger.getByRitm(body.sys_id);
    const jobs = await app.queues.requests.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.filter((j) => j.data?.ritmSysId === body.sys_id).map((j) => j.id)).toEqual([
      `run-${entry!.requestId}`,
    ]);
  });
});
