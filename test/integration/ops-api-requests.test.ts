/**
 * Agents looking requests up: the JSON API by RITM number, sys_id or request id, the list with
 * its filters and paging, and the server-rendered status page with its login session — which must
 * escape whatever text came from outside.
 */
import request from 'supertest';
import { bearer, startOpsApp, type OpsApp } from '../helpers/ops-app';
import type { ErrorBody } from '../../src/errors';
import { loadConnectorOpenApi } from '../helpers/openapi';

const openapi = loadConnectorOpenApi();

function documented(path: string, method: string, res: request.Response): void {
  expect(openapi.responseErrors(path, method, res.status, res.body)).toEqual([]);
}

/** The parameters or fields an error body names. */
function detailPaths(res: request.Response): string[] {
  return (res.body as ErrorBody).error.details.map((d) => d.path ?? '');
}

describe('requests API', () => {
  let app: OpsApp;

  beforeAll(async () => {
    app = await startOpsApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string) => request(app.url).get(path).set(bearer(app.tokens.agent));

  it('when an agent asks by RITM number, sys_id or request id, then the same request comes back with tasks, approval, window and pending ticket updates', async () => {
    const entry = await app.seedRequest({
      item: 'storware_restore_point',
      patch: {
        state: 'running',
        tenant: 'acme',
        approval: {
          hash: 'abc123',
          postedAt: 1_700_000_000_000,
          status: 'approved',
          approvers: 'Bob Approver',
          internal: 'x',
        },
        window: { windowStart: 1_700_000_100_000, windowEnd: 1_700_003_600_000 },
      },
    });
    await app.ledger.recordTask(entry.requestId, 'restore', {
      guid: '11111111-2222-3333-4444-555555555555',
      type: 'RESTORE',
      state: 'RUNNING',
      progress: 40,
      createdAt: 1_700_000_200_000,
      intentKey: 'internal detail',
    });
    await app.outbox.enqueue(entry.requestId, entry.ritmSysId, {
      workNote: 'Storware restore task started',
      comment: 'Your restore has started.',
    });

    for (const ref of [entry.number, entry.ritmSysId, entry.requestId, entry.number.toLowerCase()]) {
      const res = await get(`/api/requests/${ref}`);
      expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
      documented('/api/requests/{number}', 'get', res);
      expect(res.body.requestId).toBe(entry.requestId);
    }
    const res = await get(`/api/requests/${entry.number}`);
    expect(res.body).toMatchObject({
      ticket: entry.number,
      item: 'storware_restore_point',
      itemLabel: 'Restore',
      tenant: 'acme',
      state: 'running',
      stateLabel: 'Running',
      progress: 40,
      approval: {
        status: 'approved',
        approvers: 'Bob Approver',
        reference: 'abc123',
        requestedAt: 1_700_000_000_000,
      },
      window: { windowStart: 1_700_000_100_000, windowEnd: 1_700_003_600_000 },
      tasks: [
        {
          step: 'restore',
          guid: '11111111-2222-3333-4444-555555555555',
          type: 'RESTORE',
          state: 'RUNNING',
          progress: 40,
        },
      ],
      ticketUpdates: {
        sent: [],
        pending: [{ kind: 'update', closes: false, workNote: 'Storware restore task started' }],
      },
    });
    // Built field by field: internal fields never reach the answer.
    expect(JSON.stringify(res.body)).not.toContain('internal');
  });

  it('when a request is unknown or the reference is malformed, then 404 request_not_found or 400', async () => {
    const missing = await get('/api/requests/RITM9999999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('request_not_found');
    documented('/api/requests/{number}', 'get', missing);
    const malformed = await get('/api/requests/INC0001');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].path).toBe('number');
    documented('/api/requests/{number}', 'get', malformed);
  });

  it('when a request failed, then its last error comes with an explanation in plain words', async () => {
    const entry = await app.seedRequest({
      patch: {
        state: 'failed',
        lastError: {
          code: 'instance_not_found',
          message: 'Refused: instance x is not in the project',
          retryable: false,
          at: 1,
        },
      },
    });
    const res = await get(`/api/requests/${entry.number}`);
    expect(res.body.lastError).toEqual({
      code: 'instance_not_found',
      message: 'Refused: instance x is not in the project',
      explanation: expect.stringMatching(/^The instance is not in the requester's OpenStack project/),
      retryable: false,
      at: 1,
    });
  });

  it('when requests are listed with filters and a small limit, then pages follow the cursor without repeats', async () => {
    const seeded = [];
    for (let i = 0; i < 3; i += 1) {
      seeded.push(
        await app.seedRequest({
          item: 'storware_protect_vm',
          patch: { tenant: 'globex', state: 'waiting_inventory' },
        }),
      );
    }
    const first = await get('/api/requests?tenant=globex&item=storware_protect_vm&limit=2');
    expect(first.status).toBe(200);
    documented('/api/requests', 'get', first);
    expect(first.body.items).toHaveLength(2);
    const second = await get(
      `/api/requests?tenant=globex&item=storware_protect_vm&limit=2&cursor=${first.body.nextCursor}`,
    );
    const tickets = [...first.body.items, ...second.body.items].map((r: { ticket: string }) => r.ticket);
    expect(new Set(tickets)).toEqual(new Set(seeded.map((s) => s.number)));
    const byState = await get('/api/requests?state=waiting_inventory');
    expect(
      (byState.body as { items: Array<{ state: string }> }).items.every(
        (r) => r.state === 'waiting_inventory',
      ),
    ).toBe(true);
    const since = await get(`/api/requests?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(since.body.items).toEqual([]);
  });

  it.each([
    ['state=lost', 'state'],
    ['item=storware_other', 'item'],
    ['tenant=Not_A_Tenant', 'tenant'],
    ['since=tomorrow', 'since'],
    ['limit=201', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['cursor=forged', 'cursor'],
    ['order=asc', 'order'],
  ])('when the list is asked with %s, then 400 names %s', async (query, parameter) => {
    const res = await get(`/api/requests?${query}`);
    expect(res.status).toBe(400);
    expect(detailPaths(res)).toContain(parameter);
    documented('/api/requests', 'get', res);
  });
});

describe('status page', () => {
  let app: OpsApp;

  beforeAll(async () => {
    app = await startOpsApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function signIn(token: string): Promise<string> {
    const res = await request(app.url).post('/status/login').type('form').send({ token, next: '/status' });
    expect(res.status).toBe(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    return cookie.split(';')[0]!;
  }

  it('when a browser has no session, then pages send it to the login form, which needs no JavaScript', async () => {
    const res = await request(app.url).get('/status/requests/RITM0000001');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/status/login?next=%2Fstatus%2Frequests%2FRITM0000001');
    const form = await request(app.url).get('/status/login?next=%2Fstatus%2Frequests%2FRITM0000001');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form method="post" action="/status/login">');
    expect(form.text).toContain('value="/status/requests/RITM0000001"');
    expect(form.text).not.toContain('<script');
    expect(form.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('when the login form gets a valid token, then an HttpOnly SameSite=Strict cookie holds a session id, not the token', async () => {
    const res = await request(app.url)
      .post('/status/login')
      .type('form')
      .send({ token: app.tokens.agent, next: '/status?state=failed' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/status?state=failed');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(
      /^sic_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(app.tokens.agent);
    const stored = await app.redis.keys(`${app.prefix}:ops:session:*`);
    expect(stored).toHaveLength(1);
    expect(await app.redis.get(stored[0]!)).not.toContain(app.tokens.agent);

    const page = await request(app.url).get('/status').set('Cookie', cookie.split(';')[0]!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Signed in as <strong>desk</strong>');
    expect(page.text).toMatch(/<meta http-equiv="refresh" content="15"\s*\/?>/);
  });

  it('when the login form gets a bad token or comes from another site, then no session is made; next cannot leave the site', async () => {
    const bad = await request(app.url)
      .post('/status/login')
      .type('form')
      .send({ token: 'wrong', next: '/status' });
    expect(bad.status).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    expect(bad.text).toContain('That token is not valid.');
    const crossSite = await request(app.url)
      .post('/status/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ token: app.tokens.ops });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    for (const next of [
      'https://evil.example/',
      '//evil.example/status',
      '/status/../../x\\y',
      'javascript:alert(1)',
    ]) {
      const res = await request(app.url)
        .post('/status/login')
        .type('form')
        .send({ token: app.tokens.agent, next });
      expect({ next, location: res.headers.location }).toEqual({ next, location: '/status' });
    }
  });

  it('when a session signs out or its token is removed from the configuration, then the cookie no longer works', async () => {
    const cookie = await signIn(app.tokens.agent);
    const out = await request(app.url).post('/status/logout').set('Cookie', cookie);
    expect(out.status).toBe(303);
    expect(out.headers['set-cookie']?.[0]).toMatch(/^sic_session=;/);
    const after = await request(app.url).get('/status').set('Cookie', cookie);
    expect(after.status).toBe(303);
    // A cookie for a name that is not (or no longer) configured resolves to nobody.
    await app.redis.set(`${app.prefix}:ops:session:forged`, JSON.stringify({ name: 'ghost', role: 'ops' }));
    const forged = await request(app.url).get('/status').set('Cookie', 'sic_session=forged');
    expect(forged.status).toBe(303);
  });

  it('when a request carries hostile text, then the page shows it escaped and runs nothing', async () => {
    const entry = await app.seedRequest({
      patch: {
        state: 'failed',
        tenant: 'acme',
        lastError: {
          code: '<img src=x onerror=alert(1)>',
          message: '"><script>alert(2)</script>',
          retryable: false,
          at: 1,
        },
      },
      event: { type: 'note', message: "<script>alert('timeline')</script>" },
    });
    const page = await request(app.url).get(`/status/requests/${entry.number}`).set(bearer(app.tokens.agent));
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script|<img/i);
    expect(page.text).toContain('&lt;script&gt;alert(&#39;timeline&#39;)&lt;/script&gt;');
    expect(page.text).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");

    const search = await request(app.url).get('/status?q=%3Cscript%3E').set(bearer(app.tokens.agent));
    expect(search.status).toBe(400);
    expect(search.text).toContain('&quot;&lt;script&gt;&quot; is not a ticket number');
  });

  it('when an agent searches a ticket number, then the page redirects to the request; an unknown one says so', async () => {
    const entry = await app.seedRequest({ patch: { tenant: 'acme', state: 'running' } });
    const found = await request(app.url)
      .get(`/status?q=${entry.number.toLowerCase()}`)
      .set(bearer(app.tokens.agent));
    expect(found.status).toBe(303);
    expect(found.headers.location).toBe(`/status/requests/${entry.number}`);
    const missing = await request(app.url).get('/status?q=RITM0404').set(bearer(app.tokens.agent));
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('No request found for RITM0404.');
    const detail = await request(app.url).get('/status/requests/RITM0404').set(bearer(app.tokens.agent));
    expect(detail.status).toBe(404);
    expect(detail.text).toContain('No request RITM0404');
  });
});
