/**
 * Every route of the connector's API, as spec/connector.openapi.yaml lists them (routes added later
 * are swept too), attacked on a running stack (OWASP API2, API3, API4, API5; docs/reliability.md §4.3 S1–S3):
 * - without credentials, with a wrong token, and (where `x-roles` is ops only) with an agent token:
 *   401 / redirect to the login form / 403, never the data;
 * - with hostile path parameters (another request's id shapes, traversal, encoded slashes, markup):
 *   a 4xx that echoes no internals (stack, file path, Redis key, secret);
 * - with unknown or privilege fields in bodies (mass assignment): 400/422; with oversized bodies: 413;
 * - public routes (`security: []`) give away no secret and no configuration detail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { requestJobId } from '../../src/jobs/catalog';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startTestStack, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

interface Operation {
  readonly path: string;
  readonly method: string;
  readonly publicRoute: boolean;
  readonly roles: readonly string[] | undefined;
  readonly schemes: readonly string[];
  readonly hasBody: boolean;
}

function operations(): Operation[] {
  const spec = YAML.parse(
    readFileSync(join(__dirname, '..', '..', 'spec', 'connector.openapi.yaml'), 'utf8'),
  ) as {
    paths: Record<
      string,
      Record<
        string,
        { security?: Array<Record<string, unknown>>; 'x-roles'?: string[]; requestBody?: unknown }
      >
    >;
  };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
        continue;
      }
      const security = op.security ?? [];
      out.push({
        path,
        method: method.toUpperCase(),
        publicRoute: security.length === 0,
        roles: op['x-roles'],
        schemes: security.flatMap((s) => Object.keys(s)),
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return out;
}

const HOSTILE_PARAMS = [
  'RITM9999999',
  'run-r-00000000000000000000000000000000',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '<script>alert(1)<%2Fscript>',
  '{sic}:ledger:req:x',
  '0x7f.1',
];

describe('every API route, attacked', () => {
  let stack: TestStack;
  let agent: string;
  let ops: string;
  let secrets: string[];
  /** Ids that exist, so refusals are about the caller and the body, not a missing target. */
  let real: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack();
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid },
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    real = { number: ritm.number, id: requestJobId(entry.requestId), queue: 'requests' };
    agent = stack.config.apiTokens.find((t) => t.role === 'agent')!.token;
    ops = stack.config.apiTokens.find((t) => t.role === 'ops')!.token;
    secrets = [
      agent,
      ops,
      stack.webhookSecret,
      stack.config.storware.password,
      stack.config.storware.user,
      stack.config.redis.url,
      stack.prefix,
      'servicenow-pass-xyz',
    ];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);
  const fillReal = (path: string) => path.replace(/\{([^}]+)\}/g, (_, name: string) => real[name] ?? name);

  async function call(
    op: Operation,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<{ status: number; text: string; location: string | null }> {
    const query = op.path === '/api/jobs' ? '?state=failed' : '';
    const res = await fetch(`${stack.apiUrl}${path}${query}`, {
      method: op.method,
      redirect: 'manual',
      headers: {
        ...(op.hasBody
          ? {
              'content-type': op.path.endsWith('/login')
                ? 'application/x-www-form-urlencoded'
                : 'application/json',
            }
          : {}),
        ...headers,
      },
      body: op.method === 'GET' ? undefined : (body ?? (op.hasBody ? '{}' : undefined)),
    });
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }

  function leaks(text: string): string[] {
    const found = secrets.filter((s) => s.length >= 6 && text.includes(s));
    if (/\n\s+at .+\(.+:\d+:\d+\)|node_modules|\/work\/|ioredis|ECONNREFUSED/.test(text)) {
      found.push('internals (stack, path or driver message)');
    }
    return found;
  }

  it('when a protected route is called without credentials or with a wrong token, then it is refused', async () => {
    const rows: string[] = [];
    for (const op of operations().filter((o) => !o.publicRoute)) {
      const path = fillReal(op.path);
      const anonymous = await call(op, path);
      const wrong = await call(op, path, { Authorization: 'Bearer not-a-valid-token-0123456789ab' });
      const browserPage = op.schemes.includes('sessionCookie');
      const webhook = op.schemes.some((s) => s.startsWith('webhook'));
      for (const answer of [anonymous, wrong]) {
        if (browserPage && answer === anonymous && op.method === 'GET') {
          expect({
            route: `${op.method} ${op.path}`,
            status: answer.status,
            to: answer.location?.split('?')[0],
          }).toEqual({
            route: `${op.method} ${op.path}`,
            status: 303,
            to: '/status/login',
          });
        } else if (webhook) {
          expect({ route: `${op.method} ${op.path}`, status: answer.status }).toEqual({
            route: `${op.method} ${op.path}`,
            status: 401,
          });
        } else {
          expect({ route: `${op.method} ${op.path}`, status: answer.status }).toEqual({
            route: `${op.method} ${op.path}`,
            status: browserPage && op.method !== 'GET' ? expect.any(Number) : 401,
          });
          expect(answer.status).toBeGreaterThanOrEqual(300);
        }
        expect(leaks(answer.text)).toEqual([]);
      }
      rows.push(`${op.method} ${op.path}: anonymous ${anonymous.status}, wrong token ${wrong.status}`);
    }
    process.stdout.write(`[security] API routes without valid credentials:\n  ${rows.join('\n  ')}\n`);
  });

  it('when an agent token calls an ops-only action, then 403 and nothing is done', async () => {
    const opsOnly = operations().filter((o) => o.roles && o.roles.length === 1 && o.roles[0] === 'ops');
    expect(opsOnly.length).toBeGreaterThan(0);
    for (const op of opsOnly) {
      const answer = await call(
        op,
        fillReal(op.path),
        { Authorization: `Bearer ${agent}` },
        JSON.stringify({ reason: 'agent tries to act', limit: 1 }),
      );
      expect({ route: `${op.method} ${op.path}`, status: answer.status }).toEqual({
        route: `${op.method} ${op.path}`,
        status: 403,
      });
      expect(leaks(answer.text)).toEqual([]);
    }
    const audit = await fetch(`${stack.apiUrl}/api/audit`, { headers: { Authorization: `Bearer ${ops}` } });
    expect(await audit.text()).not.toContain('agent tries to act');
  });

  it('when path parameters are hostile, then the answer is a 4xx that echoes no internals', async () => {
    for (const op of operations().filter((o) => o.path.includes('{'))) {
      for (const value of HOSTILE_PARAMS) {
        const token = op.roles?.includes('agent') ? agent : ops;
        const path = fill(op.path, value);
        const answer = await call(
          op,
          path,
          { Authorization: `Bearer ${token}` },
          JSON.stringify({ reason: 'security sweep' }),
        );
        expect(leaks(answer.text)).toEqual([]);
        if (new URL(path, stack.apiUrl).pathname !== path) {
          continue; // The URL parser resolved it (`%2e%2e` is `..`): another route was asked.
        }
        expect({
          route: `${op.method} ${op.path}`,
          value,
          ok: answer.status >= 400 && answer.status < 500,
        }).toEqual({
          route: `${op.method} ${op.path}`,
          value,
          ok: true,
        });
        expect(leaks(answer.text)).toEqual([]);
        expect(answer.text).not.toContain('<script>');
      }
    }
  });

  it('when a body carries unknown or privilege fields, or is too large, then it is refused', async () => {
    const withBody = operations().filter(
      (o) =>
        o.hasBody &&
        o.method !== 'GET' &&
        !o.schemes.some((s) => s.startsWith('webhook')) &&
        !o.path.endsWith('/login'),
    );
    expect(withBody.length).toBeGreaterThan(0);
    for (const op of withBody) {
      const headers = { Authorization: `Bearer ${ops}` };
      const path = fillReal(op.path);
      for (const extra of [
        '"role":"ops"',
        '"actor":"someone-else"',
        '"tenant":"globex"',
        '"__proto__":{"admin":true}',
        '"force":true',
      ]) {
        const body = `{${extra},"reason":"security sweep","limit":1}`;
        const answer = await call(op, path, headers, body);
        expect({
          route: `${op.method} ${op.path}`,
          extra,
          refused: [400, 404, 409, 422].includes(answer.status),
        }).toEqual({
          route: `${op.method} ${op.path}`,
          extra,
          refused: true,
        });
        expect(leaks(answer.text)).toEqual([]);
      }
      const huge = JSON.stringify({ reason: 'x'.repeat(70 * 1024) });
      expect((await call(op, path, headers, huge)).status).toBe(413);
    }
  });

  it('when public routes are read, then they say nothing secret about the deployment', async () => {
    for (const op of operations().filter((o) => o.publicRoute && o.method === 'GET')) {
      const answer = await call(op, op.path);
      expect(answer.status).toBeLessThan(500);
      expect({ route: op.path, leaks: leaks(answer.text) }).toEqual({ route: op.path, leaks: [] });
      expect(answer.text).not.toMatch(/globex|acme|5e1f0a0c/i);
    }
  });
});
