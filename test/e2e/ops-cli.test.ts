/**
 * The CLI as an operator runs it (`npx tsx src/cli/main.ts …`, a separate process) against a
 * running local stack: reading requests and jobs, an agent refused an ops action, an abandon, the
 * audit trail, and `config check` against the simulators, healthy and broken. Exit codes: 0 done,
 * 1 failed, 2 wrong usage.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localConnectorYaml } from '../../src/cli/local-stack';
import { requestJobId } from '../../src/jobs/catalog';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { stackApi, type StackApi } from '../helpers/ops-stack';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      // Only what the CLI is given: nothing leaks in from the test runner's environment.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI against a running connector', () => {
  let stack: TestStack;
  let api: StackApi;
  let dir: string;
  let done: { number: string };
  let failedJob: string;
  let failedTicket: string;
  let failedSysId: string;

  beforeAll(async () => {
    stack = await startTestStack({ connectorYaml: localConnectorYaml({ jobAttempts: 1 }) });
    api = stackApi(stack);
    dir = mkdtempSync(join(tmpdir(), 'sic-cli-'));
    writeFileSync(join(dir, 'connector.yaml'), stack.connectorYaml);

    const ok = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid, backup_type: 'FULL', priority: '50' },
    });
    await stack.waitForFinish(ok.ritm.sysId);
    done = { number: ok.ritm.number };

    stack.storware.server.addFault({ method: 'GET', path: '^/api/virtual-machines$', status: 503 });
    const bad = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeDb.uuid, backup_type: 'FULL', priority: '50' },
    });
    const entry = await stack.waitForEntry(bad.ritm.sysId, () => true);
    failedJob = requestJobId(entry.requestId);
    failedTicket = bad.ritm.number;
    failedSysId = bad.ritm.sysId;
    await waitFor(
      async () =>
        (await api.get<{ state?: string }>(`/api/jobs/${failedJob}`)).body?.state === 'failed'
          ? true
          : undefined,
      20_000,
      'the failed job',
    );
    stack.storware.server.clearFaults();
  });

  afterAll(async () => {
    await stack?.stop();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const as = (token: string) => ({ CONNECTOR_URL: stack.apiUrl, CONNECTOR_TOKEN: token });

  it('when an agent reads requests and jobs, then tables by default and the API answers with --json', async () => {
    const [show, list, jobs, json] = await Promise.all([
      cli(['requests', 'show', done.number], as(api.agentToken)),
      cli(['requests', 'list', '--state', 'succeeded'], as(api.agentToken)),
      cli(['jobs', 'list', '--state', 'failed'], as(api.agentToken)),
      cli(['jobs', 'show', failedJob, '--json'], as(api.agentToken)),
    ]);
    expect(show).toMatchObject({ code: 0, stderr: '' });
    expect(show.stdout).toMatch(new RegExp(`^Ticket:\\s+${done.number}$`, 'm'));
    expect(show.stdout).toMatch(/^State:\s+Completed \(succeeded\)$/m);
    expect(show.stdout).toMatch(/^export\s+EXPORT\s+\S+\s+FINISHED\s+100%$/m);
    expect(show.stdout).toContain('request.succeeded');

    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^TICKET\s+ITEM\s+TENANT\s+STATE\s+STEP\s+UPDATED\s+PROBLEM$/);
    expect(list.stdout).toMatch(new RegExp(`^${done.number}\\s+Backup\\s+acme\\s+succeeded`, 'm'));

    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(
      new RegExp(`^${failedJob}\\s+requests\\s+request\\.backup-now\\s+${failedTicket}\\s+1/1`, 'm'),
    );

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: failedJob,
      state: 'failed',
      request: { ticket: failedTicket },
    });
  });

  it('when an agent tries to act or an action lacks its reason, then exit 1 with the API refusal or exit 2 with the usage hint', async () => {
    const [refused, noReason, noToken, unknown] = await Promise.all([
      cli(['jobs', 'abandon', failedJob, '--reason', 'not mine to do'], as(api.agentToken)),
      cli(['jobs', 'replay', failedJob], as(api.opsToken)),
      cli(['requests', 'list'], { CONNECTOR_URL: stack.apiUrl }),
      cli(['frobnicate'], as(api.opsToken)),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/agent role.*\(forbidden, HTTP 403\)/);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('set CONNECTOR_TOKEN');
    expect(unknown.code).toBe(2);
  });

  it('when ops abandons the failed job, then the ticket closes incomplete and the audit trail shows who and why', async () => {
    const abandon = await cli(
      ['jobs', 'abandon', failedJob, '--reason', 'Tenant cancelled by phone'],
      as(api.opsToken),
    );
    expect(abandon).toMatchObject({ code: 0, stderr: '' });
    expect(abandon.stdout.trim()).toMatch(
      new RegExp(`^Abandoned ${failedTicket}: .*Audit record \\d+-\\d+\\.$`),
    );
    await stack.waitForTicketState(failedSysId, '4');
    const audit = await cli(['audit', '--actor', 'oncall'], as(api.agentToken));
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(
      new RegExp(`oncall\\s+abandon\\s+done\\s+${failedTicket}\\s+Tenant cancelled by phone`),
    );
    const again = await cli(['jobs', 'abandon', failedJob, '--reason', 'twice'], as(api.opsToken));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('job_not_found');
  });

  it('when config check runs with the connector environment, then Redis, Storware and ServiceNow are reached and it exits 0', async () => {
    const env = { ...stack.env, CONNECTOR_CONFIG: join(dir, 'connector.yaml') } as Record<
      string,
      string | undefined
    >;
    const [healthy, badPassword, deadRedis] = await Promise.all([
      cli(['config', 'check'], env),
      cli(['config', 'check'], { ...env, STORWARE_PASSWORD: 'wrong-password' }),
      cli(['config', 'check', '--timeout', '500'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' }),
    ]);
    expect(healthy.stdout).toMatch(/^\[ ok \] configuration/m);
    expect(healthy.stdout).toMatch(/^\[ ok \] redis/m);
    expect(healthy.stdout).toMatch(/^\[ ok \] storware\s+logged in to .* 3 policy tier\(s\) checked$/m);
    expect(healthy.stdout).toMatch(/^\[ ok \] servicenow\s+read 2 tenant companies/m);
    expect(healthy.stdout).toContain('Configuration OK.');
    expect(healthy.code).toBe(0);

    expect(badPassword.code).toBe(1);
    expect(badPassword.stdout).toMatch(/^\[FAIL\] storware\s+cannot log in/m);
    expect(badPassword.stdout).not.toContain('wrong-password');
    expect(deadRedis.code).toBe(1);
    expect(deadRedis.stdout).toMatch(/^\[FAIL\] redis\s+redis:\/\/127\.0\.0\.1:1 does not answer PING$/m);
  });

  it('when config check finds a broken file, then it lists every problem and skips the remote checks', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'tenants:\n  - id: Bad Id\n');
    const run = await cli(['config', 'check'], {
      ...stack.env,
      CONNECTOR_CONFIG: join(dir, 'broken.yaml'),
      WEBHOOK_SECRETS: 'nope',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[FAIL\] configuration/m);
    expect(run.stdout).toContain('WEBHOOK_SECRETS');
    expect(run.stdout).toContain('CONNECTOR_CONFIG:tenants[0].id');
    expect(run.stdout).toMatch(/^\[skip\] storware/m);
  });
});
