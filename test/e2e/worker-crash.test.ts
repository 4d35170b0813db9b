// A worker process killed (SIGKILL) in the middle of a Storware call: the job returns after its
// lock expires, another worker takes it, and the export the dead worker asked for is adopted —
// never created twice (issue: workers, "worker killed mid-job").
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');

describe('a worker killed mid-job', () => {
  let stack: TestStack;
  let dir: string;
  const children: ChildProcess[] = [];

  /** Starts a worker process and resolves once its workers run (a cold tsx start takes seconds). */
  async function startWorker(): Promise<ChildProcess> {
    let seen = '';
    const configFile = join(dir, 'connector.yaml');
    writeFileSync(configFile, stack.connectorYaml);
    const child = spawn(
      process.execPath,
      // One process (the tsx loader inside node), so SIGKILL hits the worker itself.
      ['--import', 'tsx', join(ROOT, 'src', 'cli', 'start.ts'), 'worker'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          ...stack.env,
          CONNECTOR_CONFIG: configFile,
          // info: the process says "workers running" when it is ready.
          LOG_LEVEL: 'info',
          WORKER_LOCK_DURATION_MS: '2000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker process did not start within 60 s; it said: ${seen.slice(0, 2000)}`)),
        60_000,
      );

      child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (seen.includes('workers running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker process exited early (${code}): ${seen.slice(0, 2000)}`));
      });
    });
    child.stdout?.resume();
    return child;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sic-crash-'));
    stack = await startTestStack({ workers: false, env: { STORWARE_TIMEOUT_MS: '1000' } });
  });

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve(undefined);
              return;
            }
            child.once('exit', resolve);
            child.kill('SIGKILL');
          }),
      ),
    );
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the worker dies while Storware is creating the export, then the next worker adopts it and only one export exists', async () => {
    const vm = stack.storware.state.vmByInstanceUuid(FIXTURE.instances.acmeWeb.uuid)!;
    const exportsBefore = stack.storware.state
      .tasks()
      .filter((t) => t.type === 'EXPORT' && t.vmGuid === vm.guid).length;
    // Storware takes 2.5 s to answer the create; the worker is killed while it waits.
    stack.storware.server.addFault({ method: 'POST', path: '^/api/tasks/export$', delayMs: 2_500, times: 1 });
    const first = await startWorker();
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid },
    });
    await waitFor(
      () =>
        stack.storware.server.calls({ method: 'POST', path: '/api/tasks/export' }).length > 0
          ? true
          : undefined,
      30_000,
      'export call',
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    await startWorker();
    const entry = await stack.entryFor(ritm.sysId).then(() =>
      waitFor(
        async () => {
          const e = await stack.entryFor(ritm.sysId);
          return e && e.state === 'succeeded' ? e : undefined;
        },
        60_000,
        'request to succeed after the crash',
      ),
    );
    const exportsAfter = stack.storware.state
      .tasks()
      .filter((t) => t.type === 'EXPORT' && t.vmGuid === vm.guid);
    expect(exportsAfter.length).toBe(exportsBefore + 1);
    expect(entry.tasks.export?.guid).toBe(exportsAfter.at(-1)!.guid);
    expect(entry.timeline.some((e) => e.type === 'task.adopted')).toBe(true);
  });
});
