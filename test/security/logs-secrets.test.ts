/**
 * No secret in the logs (docs/reliability.md §4.3 S5): a full run of the connector as real processes
 * (one API, two workers) at LOG_LEVEL=debug, through the paths where secrets travel — ServiceNow
 * OAuth (password grant, tokens revoked and refreshed), Storware sessions (expired, logged in
 * again), upstream errors, signed webhooks (good and bad), service-API calls with good and bad
 * bearer tokens, a status-page sign-in and its session cookie — and then every byte the processes
 * wrote is searched for every secret: passwords, the client secret, the webhook secret, the API
 * tokens, the OAuth access and refresh tokens, the Storware session cookies, the status-page
 * session, the Basic credentials and the webhook signatures, as recorded on the wire.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_DEFAULT_CREDENTIALS } from '../../src/simulators/servicenow';
import { signWebhook } from '../../src/intake/standard-webhooks';
import {
  failures,
  planRequest,
  seededRandom,
  startChaosEnv,
  type ChaosEnv,
  type RequestKind,
} from '../helpers/chaos-env';
import { startRedisServer, type RedisServer } from '../helpers/chaos-redis';

jest.setTimeout(300_000);

describe('secrets never reach the logs of a full run at debug level', () => {
  let redis: RedisServer;
  let env: ChaosEnv;
  const logDir = mkdtempSync(join(tmpdir(), 'sic-security-logs-'));
  /** Values seen on the wire during the run (tokens, cookies, signatures). */
  const wire = new Set<string>();

  beforeAll(async () => {
    redis = await startRedisServer();
    env = await startChaosEnv({
      redisUrl: redis.url,
      logDir,
      logLevel: 'debug',
      servicenowProxy: true,
      env: {
        SERVICENOW_CLIENT_ID: SIM_DEFAULT_CREDENTIALS.clientId,
        SERVICENOW_CLIENT_SECRET: SIM_DEFAULT_CREDENTIALS.clientSecret,
      },
    });
    // Record what only the wire shows: session cookies, OAuth tokens, Authorization headers.
    const keep = (value: string | undefined) => {
      if (value && value.length >= 8) {
        wire.add(value);
      }
    };
    const cookies = (header: string | string[] | undefined) =>
      [header ?? []].flat().forEach((c) => keep(/^[^=]+=([^;]+)/.exec(c)?.[1]));
    env.proxy.record((x) => {
      cookies(x.responseHeaders['set-cookie']);
      keep(x.requestHeaders.cookie?.split('=')[1]);
    });
    env.servicenowProxy!.record((x) => {
      const auth = x.requestHeaders.authorization;
      keep(auth);
      keep(auth?.split(' ')[1]);
      if (x.path.includes('oauth_token')) {
        const answer = JSON.parse(x.responseBody.toString('utf8') || '{}') as Record<string, unknown>;
        keep(answer.access_token as string | undefined);
        keep(answer.refresh_token as string | undefined);
        for (const [k, v] of new URLSearchParams(x.requestBody.toString('utf8'))) {
          if (/password|secret|token/.test(k)) {
            keep(v);
          }
        }
      }
    });
    env.balancer.record((headers) => {
      const signature = headers['webhook-signature'];
      keep(typeof signature === 'string' ? signature : undefined);
      for (const part of String(signature ?? '').split(' ')) {
        keep(part.split(',')[1]);
      }
    });
    await Promise.all([env.startApi(), env.startWorker(), env.startWorker()]);
  });

  afterAll(async () => {
    await env?.close();
    await redis?.destroy();
  });

  it('when the run is over, then no secret, token, cookie or signature is in any process log', async () => {
    const since = Date.now();
    const rand = seededRandom(77);
    const decider = env.startDecider();
    const kinds: RequestKind[] = ['backup', 'restore-approve', 'protect', 'backup-foreign', 'restore-reject'];
    const batch = await env.submitAll(
      Array.from({ length: 10 }, (_, i) =>
        planRequest(kinds[i % kinds.length]!, rand, (u) => env.backupPoint(u)),
      ),
    );
    // Sessions and tokens die and are renewed; upstreams fail with bodies that echo requests.
    env.storware.expireSessions();
    env.servicenow.revokeAccessTokens();
    env.storware.server.addFault({ method: 'GET', path: '^/api/virtual-machines$', status: 500, times: 3 });
    env.servicenow.http.addFault({
      method: 'PATCH',
      path: '^/api/now/table/sc_req_item/',
      status: 503,
      times: 3,
    });
    const more = await env.submitAll(
      Array.from({ length: 6 }, (_, i) =>
        planRequest(kinds[i % kinds.length]!, rand, (u) => env.backupPoint(u)),
      ),
    );
    env.storware.expireSessions();
    env.servicenow.revokeAllTokens();

    const api = env.liveApis()[0]!;
    const tokens = env.env.API_TOKENS!.split(',').map((t) => t.split(':')[2]!);
    // Service API: right and wrong tokens, a replay attempt with a reason.
    for (const token of [...tokens, 'not-a-token-0123456789abcdef', `${tokens[0]}x`]) {
      await fetch(`${api.url}/api/requests?limit=5`, { headers: { Authorization: `Bearer ${token}` } });
      await fetch(`${api.url}/api/jobs?state=failed`, { headers: { Authorization: `Bearer ${token}` } });
    }
    await fetch(`${api.url}/api/jobs/run-r-00000000000000000000000000000000/replay`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens[1]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'security test replay of a missing job' }),
    });
    // The status page: sign in with the ops token (a form post), then use the session cookie.
    const login = await fetch(`${api.url}/status/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens[1]!, next: '/status' }).toString(),
      redirect: 'manual',
    });
    const session = /sic_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(session).toBeDefined();
    wire.add(session!);
    expect((await fetch(`${api.url}/status`, { headers: { cookie: `sic_session=${session}` } })).status).toBe(
      200,
    );
    await fetch(`${api.url}/metrics`, { headers: { Authorization: `Bearer ${tokens[0]}` } });
    // Webhooks signed with the wrong secret, and a tampered one.
    const body = JSON.stringify({ event: 'ritm.submitted', sys_id: 'a'.repeat(32) });
    for (const secret of [`whsec_${Buffer.alloc(32, 9).toString('base64')}`, env.webhookSecret]) {
      const headers = signWebhook([secret], 'msg_security_logs', body, Math.floor(Date.now() / 1000));
      wire.add(headers['webhook-signature']);
      await fetch(`${api.url}/webhooks/servicenow`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: `${body} `,
      });
    }

    env.storware.server.clearFaults();
    env.servicenow.http.clearFaults();
    await env.settle([...batch, ...more], 120_000);
    await decider.stop();
    const report = await env.check([...batch, ...more], since);
    expect(failures(report)).toBe('');

    const secrets = new Map<string, string>([
      ['STORWARE_PASSWORD', env.env.STORWARE_PASSWORD!],
      ['SERVICENOW_PASSWORD', env.env.SERVICENOW_PASSWORD!],
      ['SERVICENOW_CLIENT_SECRET', env.env.SERVICENOW_CLIENT_SECRET!],
      ['WEBHOOK_SECRETS', env.webhookSecret],
      ['WEBHOOK_SECRETS (key bytes, base64)', env.webhookSecret.slice('whsec_'.length)],
      [
        'Basic credentials',
        Buffer.from(`${env.env.SERVICENOW_USER}:${env.env.SERVICENOW_PASSWORD}`).toString('base64'),
      ],
      ...tokens.map((t, i) => [`API_TOKENS[${i}]`, t] as [string, string]),
      ...[...wire].map((v, i) => [`seen on the wire #${i}`, v] as [string, string]),
    ]);
    const logs = [...env.apis, ...env.workers].map((p) => ({
      name: p.name,
      text: readFileSync(p.logFile, 'utf8'),
    }));
    const lines = logs.reduce((n, l) => n + l.text.split('\n').length, 0);
    // A meaningful log: debug lines of upstream calls from every process kind.
    expect(lines).toBeGreaterThan(200);
    expect(logs.some((l) => l.text.includes('"msg":"storware call"'))).toBe(true);
    expect(logs.some((l) => l.text.includes('"msg":"servicenow call"'))).toBe(true);
    const found: string[] = [];
    for (const [name, value] of secrets) {
      for (const log of logs) {
        if (value.length >= 8 && log.text.includes(value)) {
          found.push(`${name} in ${log.name}`);
        }
      }
    }
    expect(found).toEqual([]);
    process.stdout.write(
      `[security] secrets in logs: searched ${lines} lines from ${logs.length} processes at debug level for ${secrets.size} secrets (${wire.size} recorded on the wire: cookies, OAuth tokens, Authorization headers, signatures): 0 found\n`,
    );
  });
});
