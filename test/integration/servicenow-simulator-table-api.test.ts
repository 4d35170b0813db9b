/**
 * The simulator's Table API and token endpoint over HTTP, pinned to docs/servicenow.md §1, §2, §5, §7:
 * envelopes, value shapes, query parameters, codes, error texts, auth and rate limits;
 * states and approvals; journals; the simulator checklist.
 */
import { FIXTURE } from '../../src/simulators/fixture-ids';
import {
  SIM_DEFAULT_CREDENTIALS,
  startServiceNowSimulator,
  type ServiceNowSimulator,
} from '../../src/simulators/servicenow';
import { START_MS, testClock, type TestClock } from '../helpers/servicenow-harness';

const BASIC = `Basic ${Buffer.from(`${SIM_DEFAULT_CREDENTIALS.user}:${SIM_DEFAULT_CREDENTIALS.password}`).toString('base64')}`;
const INSTANCE = FIXTURE.instances.acmeWeb.uuid;
const SYS_ID = /^[0-9a-f]{32}$/;

interface Answer {
  status: number;
  headers: Headers;
  // Arbitrary JSON from the simulator; every test asserts the shape it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

describe('ServiceNow simulator: Table API', () => {
  let sim: ServiceNowSimulator;
  let clock: TestClock;

  beforeEach(async () => {
    clock = testClock();
    sim = await startServiceNowSimulator({
      now: clock.now,
      credentials: { apiKeys: { 'key-for-tests-0123': 'svc.storware' } },
    });
  });

  afterEach(async () => {
    await sim.close();
  });

  async function call(
    method: string,
    path: string,
    options: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const query = options.params ? `?${new URLSearchParams(options.params).toString()}` : '';
    const headers: Record<string, string> = {
      Authorization: BASIC,
      Accept: 'application/json',
      ...options.headers,
    };
    if (options.body !== undefined && headers['Content-Type'] === undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${sim.url}${path}${query}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  async function orderBackup(requestedFor: 'alice' | 'carol' = 'alice') {
    return sim.requester.order('storware_backup_now', {
      requestedFor,
      variables: { instance_id: INSTANCE, backup_type: 'FULL' },
    });
  }

  describe('value shapes and display values (docs/servicenow.md §1)', () => {
    it('when a RITM is read raw, then every value is a string and references are {link, value} or "" when empty', async () => {
      const { ritm } = await orderBackup();

      const { status, body } = await call('GET', `/api/now/table/sc_req_item/${ritm.sysId}`);

      expect(status).toBe(200);
      const result = body.result as Record<string, unknown>;
      for (const [field, value] of Object.entries(result)) {
        const ok =
          typeof value === 'string' ||
          (typeof value === 'object' && value !== null && 'link' in value && 'value' in value);
        expect([field, ok]).toEqual([field, true]);
      }
      expect(result.state).toBe('1');
      expect(result.active).toBe('true');
      expect(result.sys_mod_count).toBe('0');
      expect(result.approval).toBe('not requested');
      expect(result.sys_updated_on).toBe('2026-03-02 10:15:30');
      expect(result.requested_for).toEqual({
        link: `${sim.url}/api/now/table/sys_user/${FIXTURE.users.alice.sysId}`,
        value: FIXTURE.users.alice.sysId,
      });
      expect(result.assigned_to).toBe('');
      expect(result.number).toBe('RITM0010001');
    });

    it('when sysparm_display_value=true, then choices show labels and references {display_value, link}', async () => {
      const { ritm } = await orderBackup();

      const { body } = await call('GET', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        params: { sysparm_display_value: 'true', sysparm_fields: 'state,approval,requested_for,active' },
      });

      expect(body.result).toEqual({
        state: 'Open',
        approval: 'Not Yet Requested',
        requested_for: {
          display_value: 'Alice Adams',
          link: `${sim.url}/api/now/table/sys_user/${FIXTURE.users.alice.sysId}`,
        },
        active: 'true',
      });
    });

    it('when sysparm_display_value=all, then every field is {display_value, value}; dates add display_value_internal', async () => {
      const { ritm } = await orderBackup();

      const { body } = await call('GET', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        params: { sysparm_display_value: 'all', sysparm_fields: 'state,opened_at,company' },
      });

      expect(body.result).toEqual({
        state: { display_value: 'Open', value: '1' },
        opened_at: {
          display_value: '2026-03-02 10:15:30',
          value: '2026-03-02 10:15:30',
          display_value_internal: '2026-03-02 10:15:30',
        },
        company: {
          display_value: 'ACME Corp',
          value: FIXTURE.companies.acme.sysId,
          link: `${sim.url}/api/now/table/core_company/${FIXTURE.companies.acme.sysId}`,
        },
      });
    });

    it('when sysparm_exclude_reference_link=true, then references are their plain value', async () => {
      const { ritm } = await orderBackup();

      const { body } = await call('GET', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        params: { sysparm_exclude_reference_link: 'true', sysparm_fields: 'requested_for' },
      });

      expect(body.result).toEqual({ requested_for: FIXTURE.users.alice.sysId });
    });

    it('when sysparm_fields names unknown and dot-walked fields, then unknown ones are ignored and dot-walks are flat keys', async () => {
      const { ritm } = await orderBackup();

      const { body } = await call('GET', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        params: {
          sysparm_fields:
            'number,no_such_field,requested_for.company.name,requested_for.user_name,number.oops',
        },
      });

      expect(body.result).toEqual({
        number: 'RITM0010001',
        'requested_for.company.name': 'ACME Corp',
        'requested_for.user_name': 'alice.acme',
      });
    });

    it('when variables are read through sc_item_option_mtom, then the dot-walk reaches the question name (docs/servicenow.md §2)', async () => {
      const { ritm } = await orderBackup();

      const { body } = await call('GET', '/api/now/table/sc_item_option_mtom', {
        params: {
          sysparm_query: `request_item=${ritm.sysId}^ORDERBYsc_item_option.order`,
          sysparm_fields:
            'sc_item_option.item_option_new.name,sc_item_option.item_option_new.type,sc_item_option.value',
        },
      });

      expect((body.result as unknown[]).slice(0, 2)).toEqual([
        {
          'sc_item_option.item_option_new.name': 'instance_id',
          'sc_item_option.item_option_new.type': '6',
          'sc_item_option.value': INSTANCE,
        },
        {
          'sc_item_option.item_option_new.name': 'backup_type',
          'sc_item_option.item_option_new.type': '5',
          'sc_item_option.value': 'FULL',
        },
      ]);
    });
  });

  describe('encoded queries (docs/servicenow.md §1)', () => {
    async function numbers(query: string): Promise<string[]> {
      const { body } = await call('GET', '/api/now/table/sc_req_item', {
        params: { sysparm_query: query, sysparm_fields: 'number' },
      });
      return (body.result as Array<{ number: string }>).map((r) => r.number);
    }

    beforeEach(async () => {
      await orderBackup(); // RITM0010001, alice, 10:15:30
      clock.advance(60_000);
      await orderBackup('carol'); // RITM0010002, carol, 10:16:30
      clock.advance(60_000);
      const third = await orderBackup(); // RITM0010003, alice, 10:17:30
      await sim.requester.cancel(third.ritm.sysId);
    });

    it('when =, != and ^ are combined, then all terms must hold', async () => {
      await expect(numbers(`requested_for=${FIXTURE.users.alice.sysId}^active=true`)).resolves.toEqual([
        'RITM0010001',
      ]);
      await expect(numbers('state!=1')).resolves.toEqual(['RITM0010003']);
    });

    it('when ^OR joins terms, then either may hold', async () => {
      await expect(numbers('number=RITM0010001^ORnumber=RITM0010003')).resolves.toEqual([
        'RITM0010001',
        'RITM0010003',
      ]);
    });

    it('when LIKE, STARTSWITH and IN are used, then they match substrings, prefixes and lists', async () => {
      await expect(numbers('numberLIKE0002')).resolves.toEqual(['RITM0010002']);
      await expect(numbers('numberSTARTSWITHRITM001000')).resolves.toEqual([
        'RITM0010001',
        'RITM0010002',
        'RITM0010003',
      ]);
      await expect(numbers('numberINRITM0010003,RITM0010001')).resolves.toEqual([
        'RITM0010001',
        'RITM0010003',
      ]);
    });

    it('when dates are compared with >, >= and <, then UTC date-times are compared, not strings', async () => {
      await expect(numbers('sys_created_on>2026-03-02 10:16:30')).resolves.toEqual(['RITM0010003']);
      await expect(numbers('sys_created_on>=2026-03-02 10:16:30')).resolves.toEqual([
        'RITM0010002',
        'RITM0010003',
      ]);
      await expect(
        numbers("sys_created_on<javascript:gs.dateGenerate('2026-03-02','10:16:00')"),
      ).resolves.toEqual(['RITM0010001']);
    });

    it('when ORDERBYDESC and dot-walked terms are used, then the order and the walk apply', async () => {
      await expect(numbers('ORDERBYDESCnumber')).resolves.toEqual([
        'RITM0010003',
        'RITM0010002',
        'RITM0010001',
      ]);
      await expect(numbers(`requested_for.company=${FIXTURE.companies.globex.sysId}`)).resolves.toEqual([
        'RITM0010002',
      ]);
      await expect(
        numbers('requested_for.user_nameSTARTSWITHalice^ORDERBYDESCsys_created_on'),
      ).resolves.toEqual(['RITM0010003', 'RITM0010001']);
    });

    it('when a term is invalid (unknown field or operator), then it is silently ignored, widening the result', async () => {
      await expect(numbers('no_such_field=1^number=RITM0010002')).resolves.toEqual(['RITM0010002']);
      await expect(numbers('numberFROBNICATE1')).resolves.toEqual([
        'RITM0010001',
        'RITM0010002',
        'RITM0010003',
      ]);
    });

    it('when nothing matches, then the answer is 200 with an empty result and X-Total-Count 0', async () => {
      const answer = await call('GET', '/api/now/table/sc_req_item', {
        params: { sysparm_query: 'number=RITM0099999' },
      });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ result: [] });
      expect(answer.headers.get('x-total-count')).toBe('0');
    });

    it('when paged with sysparm_limit/sysparm_offset, then X-Total-Count counts all matches and Link points onward', async () => {
      const answer = await call('GET', '/api/now/table/sc_req_item', {
        params: {
          sysparm_fields: 'number',
          sysparm_limit: '2',
          sysparm_offset: '0',
          sysparm_query: 'ORDERBYnumber',
        },
      });

      expect(answer.body.result).toEqual([{ number: 'RITM0010001' }, { number: 'RITM0010002' }]);
      expect(answer.headers.get('x-total-count')).toBe('3');
      expect(answer.headers.get('link')).toMatch(/<[^>]*[?&]sysparm_offset=2[&>][^>]*>;rel="next"/);
      expect(answer.headers.get('link')).not.toContain('rel="prev"');
    });
  });

  describe('writes and journals (docs/servicenow.md §1, §5)', () => {
    it('when a record is POSTed, then the answer is 201 with the stored record, strings throughout', async () => {
      const answer = await call('POST', '/api/now/table/core_company', {
        body: { name: 'Umbrella', stock_symbol: 'UMB', bogus: 'x' },
      });

      expect(answer.status).toBe(201);
      expect(answer.body.result).toEqual(
        expect.objectContaining({
          name: 'Umbrella',
          stock_symbol: 'UMB',
          sys_mod_count: '0',
          sys_created_by: 'svc.storware',
        }),
      );
      expect(answer.body.result.sys_id).toMatch(SYS_ID);
      expect(answer.body.result).not.toHaveProperty('bogus');
    });

    it('when X-no-response-body is true, then a write answers without a body', async () => {
      const answer = await call('POST', '/api/now/table/core_company', {
        body: { name: 'Quiet' },
        headers: { 'X-no-response-body': 'true' },
      });

      expect(answer.status).toBe(201);
      expect(answer.text).toBe('');
    });

    it('when work_notes and comments are PATCHed, then they read back "" and land in sys_journal_field in order (docs/servicenow.md §5)', async () => {
      const { ritm } = await orderBackup();
      clock.advance(3_000);

      const patched = await call('PATCH', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        body: { work_notes: 'Storware task created', state: 2 },
      });
      const again = await call('PATCH', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        body: { comments: 'Your backup is running' },
      });
      const read = await call('GET', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        params: { sysparm_fields: 'work_notes,comments' },
      });
      const history = await call('GET', '/api/now/table/sys_journal_field', {
        params: {
          sysparm_query: `element_id=${ritm.sysId}^ORDERBYsys_created_on`,
          sysparm_fields: 'element,value,name,sys_created_on,sys_created_by',
        },
      });

      expect(patched.body.result).toEqual(
        expect.objectContaining({
          work_notes: '',
          state: '2',
          sys_mod_count: '1',
          sys_updated_on: '2026-03-02 10:15:33',
        }),
      );
      expect(again.body.result.sys_mod_count).toBe('2');
      expect(read.body.result).toEqual({ work_notes: '', comments: '' });
      expect(history.body.result).toEqual([
        {
          element: 'work_notes',
          value: 'Storware task created',
          name: 'sc_req_item',
          sys_created_on: '2026-03-02 10:15:33',
          sys_created_by: 'svc.storware',
        },
        {
          element: 'comments',
          value: 'Your backup is running',
          name: 'sc_req_item',
          sys_created_on: '2026-03-02 10:15:33',
          sys_created_by: 'svc.storware',
        },
      ]);
      expect(sim.journal(ritm.sysId).map((e) => e.value)).toEqual([
        'Storware task created',
        'Your backup is running',
      ]);
    });

    it('when a PATCH changes nothing, then sys_mod_count and sys_updated_on stay', async () => {
      const { ritm } = await orderBackup();
      clock.advance(5_000);

      const answer = await call('PATCH', `/api/now/table/sc_req_item/${ritm.sysId}`, {
        body: { state: '1', sys_mod_count: '99' },
      });

      expect(answer.body.result).toEqual(
        expect.objectContaining({ sys_mod_count: '0', sys_updated_on: '2026-03-02 10:15:30' }),
      );
    });

    it('when a write has no Content-Type or a non-JSON one, then it is refused with 400 or 415', async () => {
      const { ritm } = await orderBackup();
      const path = `/api/now/table/sc_req_item/${ritm.sysId}`;

      const missing = await fetch(`${sim.url}${path}`, {
        method: 'PATCH',
        headers: { Authorization: BASIC },
        body: Buffer.from('{"state":"2"}'),
      });
      const wrongType = await call('PATCH', path, {
        body: 'state=2',
        headers: { 'Content-Type': 'text/plain' },
      });

      expect(missing.status).toBe(400);
      expect(wrongType.status).toBe(415);
      expect(sim.record('sc_req_item', ritm.sysId)?.state).toBe('1');
    });

    it('when a record is DELETEd, then the answer is 204 without a body and the record is gone', async () => {
      const created = await call('POST', '/api/now/table/core_company', { body: { name: 'Temporary' } });

      const removed = await call('DELETE', `/api/now/table/core_company/${created.body.result.sys_id}`);

      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect(sim.record('core_company', created.body.result.sys_id)).toBeUndefined();
    });
  });

  describe('error texts (docs/servicenow.md §1)', () => {
    it('when a record does not exist, then 404 carries the real envelope', async () => {
      const answer = await call('GET', '/api/now/table/sc_req_item/0123456789abcdef0123456789abcdef');

      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        error: {
          message: 'No Record found',
          detail: "Record doesn't exist or ACL restricts the record retrieval",
        },
        status: 'failure',
      });
    });

    it('when the table or the path is unknown, then the answer is 400 with an envelope', async () => {
      const table = await call('GET', '/api/now/table/no_such_table');
      const path = await call('GET', '/api/now/nothing/here');

      expect(table.status).toBe(400);
      expect(table.body).toEqual({
        error: { message: 'Invalid table no_such_table', detail: null },
        status: 'failure',
      });
      expect(path.status).toBe(400);
      expect(path.body.status).toBe('failure');
    });

    it('when no or wrong credentials are sent, then 401 "User Not Authenticated" / "Required to provide Auth information"', async () => {
      const none = await call('GET', '/api/now/table/sys_user', { headers: { Authorization: '' } });
      const wrong = await call('GET', '/api/now/table/sys_user', {
        headers: { Authorization: `Basic ${Buffer.from('svc.storware:nope').toString('base64')}` },
      });

      for (const answer of [none, wrong]) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
          status: 'failure',
        });
      }
      expect(wrong.headers.get('www-authenticate')).toBe('BASIC realm="Service-now"');
    });

    it('when an x-sn-apikey header names a configured key, then the call is authenticated as its user', async () => {
      const answer = await call('GET', `/api/now/table/sys_user/${FIXTURE.users.bob.sysId}`, {
        headers: { Authorization: '', 'x-sn-apikey': 'key-for-tests-0123' },
        params: { sysparm_fields: 'user_name' },
      });

      expect(answer.body).toEqual({ result: { user_name: 'bob.acme' } });
    });

    it('when the versioned path /api/now/v2/table is used, then it behaves the same', async () => {
      const answer = await call('GET', `/api/now/v2/table/core_company/${FIXTURE.companies.initech.sysId}`, {
        params: { sysparm_fields: 'name' },
      });

      expect(answer.body).toEqual({ result: { name: 'Initech' } });
    });
  });

  describe('rate limits (docs/servicenow.md §1)', () => {
    it('when a per-hour rule applies, then every answer carries X-RateLimit-* and the excess gets 429 + Retry-After', async () => {
      sim.setRateLimit('svc.storware', 2);
      const path = `/api/now/table/sys_user/${FIXTURE.users.alice.sysId}`;

      const first = await call('GET', path);
      await call('GET', path);
      const third = await call('GET', path);

      const reset = String(Date.UTC(2026, 2, 2, 11, 0, 0) / 1000);
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-reset')).toBe(reset);
      expect(first.headers.get('x-ratelimit-rule')).toMatch(SYS_ID);
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe(String(44 * 60 + 30));
      expect(third.headers.get('x-ratelimit-reset')).toBe(reset);
      expect(third.body).toEqual({
        error: {
          message: 'Rate limit exceeded',
          detail: 'Rate limit of 2 requests per hour for Table API exceeded',
        },
        status: 'failure',
      });
    });

    it('when the hour turns, then the count starts again', async () => {
      sim.setRateLimit('*', 1);
      const path = `/api/now/table/sys_user/${FIXTURE.users.alice.sysId}`;
      await call('GET', path);
      expect((await call('GET', path)).status).toBe(429);

      clock.set(Date.UTC(2026, 2, 2, 11, 0, 0));

      expect((await call('GET', path)).status).toBe(200);
    });

    it('when the limit is configured for another user only, then this user is not limited and gets no headers', async () => {
      sim.setRateLimit('someone.else', 1);
      const path = `/api/now/table/sys_user/${FIXTURE.users.alice.sysId}`;

      await call('GET', path);
      const second = await call('GET', path);

      expect(second.status).toBe(200);
      expect(second.headers.get('x-ratelimit-limit')).toBeNull();
    });
  });

  it('when hibernating, then every call answers 200 with an HTML page (docs/servicenow.md §1 "Gotcha")', async () => {
    sim.setHibernating(true);

    const answer = await call('GET', '/api/now/table/sys_user');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.text).toContain('hibernating');
  });

  describe('/oauth_token.do (docs/servicenow.md §1)', () => {
    async function token(
      form: Record<string, string>,
      contentType = 'application/x-www-form-urlencoded',
    ): Promise<Answer> {
      return call('POST', '/oauth_token.do', {
        headers: { Authorization: '', 'Content-Type': contentType },
        body: contentType.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
      });
    }

    const passwordForm = {
      grant_type: 'password',
      client_id: SIM_DEFAULT_CREDENTIALS.clientId,
      client_secret: SIM_DEFAULT_CREDENTIALS.clientSecret,
      username: SIM_DEFAULT_CREDENTIALS.user,
      password: SIM_DEFAULT_CREDENTIALS.password,
    };

    it('when the password grant is form-encoded, then a 1800 s bearer token and a refresh token come back', async () => {
      const answer = await token(passwordForm);

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        scope: 'useraccount',
        token_type: 'Bearer',
        expires_in: 1800,
      });
      const use = await call('GET', `/api/now/table/sys_user/${FIXTURE.users.alice.sysId}`, {
        headers: { Authorization: `Bearer ${answer.body.access_token}` },
      });
      expect(use.status).toBe(200);
    });

    it('when the same grant is repeated inside the lifetime, then the same token comes back with the remaining time', async () => {
      const first = await token(passwordForm);
      clock.advance(600_000);

      const second = await token(passwordForm);

      expect(second.body.access_token).toBe(first.body.access_token);
      expect(second.body.expires_in).toBe(1200);
    });

    it('when the body is JSON, then the endpoint refuses it (form-encoded only)', async () => {
      const answer = await token(passwordForm, 'application/json');

      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'server_error', error_description: 'access_denied' });
    });

    it('when client_credentials is used, then the token acts as the application user and has no refresh token', async () => {
      const answer = await token({
        grant_type: 'client_credentials',
        client_id: SIM_DEFAULT_CREDENTIALS.clientId,
        client_secret: SIM_DEFAULT_CREDENTIALS.clientSecret,
      });
      const created = await call('POST', '/api/now/table/core_company', {
        headers: { Authorization: `Bearer ${answer.body.access_token}` },
        body: { name: 'Made by the app user' },
      });

      expect(answer.body.refresh_token).toBeUndefined();
      expect(created.body.result.sys_created_by).toBe(SIM_DEFAULT_CREDENTIALS.user);
    });

    it('when the token lifetime is configured shorter and passes, then the token is refused with 401', async () => {
      sim.setTokenTtl(60);
      const answer = await token(passwordForm);
      clock.advance(61_000);

      const use = await call('GET', '/api/now/table/sys_user', {
        headers: { Authorization: `Bearer ${answer.body.access_token}` },
      });

      expect(answer.body.expires_in).toBe(60);
      expect(use.status).toBe(401);
    });

    it('when a refresh token is presented, then a new access token is issued', async () => {
      const first = await token(passwordForm);

      const refreshed = await token({
        grant_type: 'refresh_token',
        client_id: SIM_DEFAULT_CREDENTIALS.clientId,
        client_secret: SIM_DEFAULT_CREDENTIALS.clientSecret,
        refresh_token: first.body.refresh_token,
      });

      expect(refreshed.status).toBe(200);
      expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    });
  });

  it('when started at a fixed clock, then timestamps come from it (UTC, seconds)', async () => {
    const { ritm } = await orderBackup();

    expect(sim.record('sc_req_item', ritm.sysId)?.sys_created_on).toBe(
      new Date(START_MS).toISOString().slice(0, 19).replace('T', ' '),
    );
  });
});
