/**
 * The Storware simulator pinned to the reference (docs/storware-api.md, sections cited per test), over
 * plain HTTP with fetch, so these tests see the wire exactly as any client would. Time is a
 * manual clock.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   these tests read Storware's JSON loosely on purpose, as any client of the wire would. */
import { FIXTURE } from '../../src/simulators/fixture-ids';
import {
  createManualClock,
  type ManualClock,
  startStorwareSimulator,
  type StorwareSimulator,
  type StorwareSimulatorOptions,
} from '../../src/simulators/storware';
import { STORWARE_PASSWORD, STORWARE_USER, vmGuid } from '../helpers/storware-harness';

type Json = Record<string, any>;

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

const ACME = FIXTURE.projects.acme.id;
const GLOBEX = FIXTURE.projects.globex.id;
const { acmeWeb, acmeDb, acmeNew, globexApp, initechFile } = FIXTURE.instances;
const HOUR = 3_600_000;

describe('Storware simulator (docs/storware-api.md)', () => {
  let clock: ManualClock;
  let sim: StorwareSimulator;
  let cookie: string | undefined;

  async function call(method: string, path: string, body?: unknown, withCookie = true): Promise<Answer> {
    const response = await fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(withCookie && cookie ? { Cookie: cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
    };
  }

  async function start(options: StorwareSimulatorOptions = {}): Promise<void> {
    await sim?.close();
    clock = createManualClock();
    // Sessions outlive the hours these tests jump over, unless a test is about expiry.
    sim = await startStorwareSimulator({
      now: clock.now,
      taskDurationMs: 1_000,
      sessionTtlMs: 24 * HOUR,
      ...options,
    });
    const login = await call(
      'POST',
      '/session/login',
      { login: STORWARE_USER, password: STORWARE_PASSWORD },
      false,
    );
    cookie = login.headers.get('set-cookie')?.split(';')[0];
  }

  async function exportOf(instanceUuid: string, extra: Json = {}): Promise<Json> {
    const answer = await call('POST', '/tasks/export', {
      backupType: { name: 'FULL' },
      protectedEntities: [{ guid: vmGuid(sim, instanceUuid) }],
      ...extra,
    });
    expect(answer.status).toBe(201);
    return answer.body as Json;
  }

  beforeEach(async () => {
    await start();
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('authentication and session (docs/storware-api.md §2)', () => {
    it('when logging in, then 201 with SessionInfo and a session cookie', async () => {
      const answer = await call(
        'POST',
        '/session/login',
        { login: STORWARE_USER, password: STORWARE_PASSWORD },
        false,
      );
      expect(answer.status).toBe(201);
      expect(answer.headers.get('set-cookie')).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/api; HttpOnly$/);
      expect(answer.body).toMatchObject({ requester: { name: STORWARE_USER }, uiConsoleMode: 'WORKFLOW' });
      expect(answer.body.privileges[0]).toEqual({ name: 'VM_BACKUP', description: 'Vm backup' });
    });

    it('when the credentials are wrong or missing, then 401 or 400 with {message}', async () => {
      expect(
        await call('POST', '/session/login', { login: STORWARE_USER, password: 'nope' }, false),
      ).toMatchObject({
        status: 401,
        body: { message: expect.any(String) },
      });
      expect((await call('POST', '/session/login', {}, false)).status).toBe(400);
    });

    it('when a call has no session, then 401 {message}; with one, GET /session answers 204', async () => {
      expect(await call('GET', '/virtual-machines', undefined, false)).toMatchObject({
        status: 401,
        body: { message: expect.stringContaining('log in') },
      });
      expect((await call('GET', '/session')).status).toBe(204);
    });

    it('when the session is idle longer than its TTL, then it answers 401; activity keeps it alive', async () => {
      await start({ sessionTtlMs: 10_000 });
      clock.advance(9_000);
      expect((await call('GET', '/session')).status).toBe(204);
      clock.advance(9_000);
      expect((await call('GET', '/session')).status).toBe(204);
      clock.advance(10_001);
      expect((await call('GET', '/session')).status).toBe(401);
    });

    it('when logging out, then the session ends', async () => {
      expect((await call('POST', '/session/logout')).status).toBe(204);
      expect((await call('GET', '/session')).status).toBe(401);
    });
  });

  describe('conventions and project scoping (docs/storware-api.md §3, §4)', () => {
    it('when listing with project-uuid, then only that project’s VMs, each with project{guid,name} and the Nova uuid', async () => {
      const answer = await call('GET', `/virtual-machines?project-uuid=${ACME}`);

      expect(answer.status).toBe(200);
      expect(answer.body.map((vm: Json) => vm.uuid).sort()).toEqual([acmeWeb.uuid, acmeDb.uuid].sort());
      const vm = answer.body[0] as Json;
      expect(vm.project).toEqual({ guid: expect.any(String), name: FIXTURE.projects.acme.name });
      expect(vm.hvmType).toEqual({ name: 'OPENSTACK', description: 'OpenStack' });
      expect(vm.guid).not.toBe(vm.uuid);
    });

    it('when the older tenantid spelling is used, then it scopes the same way (MAN 2022)', async () => {
      const current = await call('GET', `/virtual-machines?project-uuid=${GLOBEX}`);
      const older = await call('GET', `/virtual-machines?tenantid=${GLOBEX}`);
      expect(older.body).toEqual(current.body);
      expect(older.body.map((vm: Json) => vm.name)).toEqual([globexApp.name]);
    });

    it("when a VM of another project is read with project-uuid, then 404; tasks are scoped by their VM's project", async () => {
      const globexVm = vmGuid(sim, globexApp.uuid);
      expect((await call('GET', `/virtual-machines/${globexVm}?project-uuid=${ACME}`)).status).toBe(404);
      await exportOf(globexApp.uuid);
      await exportOf(acmeWeb.uuid);
      const acmeTasks = await call('GET', `/tasks?project-uuid=${ACME}`);
      const older = await call('GET', `/tasks?tenantId=${ACME}`);
      expect(acmeTasks.body.map((t: Json) => t.protectedEntity.name)).toEqual([acmeWeb.name]);
      expect(older.body).toEqual(acmeTasks.body);
    });

    it('when paging, then the body is an array page and X-Total-Count holds the total', async () => {
      const answer = await call('GET', '/virtual-machines?page=1&size=2&orderBy=name&direction=desc');
      expect(answer.headers.get('x-total-count')).toBe('4');
      expect(answer.body.map((vm: Json) => vm.name)).toEqual([acmeWeb.name, acmeDb.name]);
      expect((await call('GET', '/virtual-machines?size=0')).status).toBe(400);
    });

    it('when a request names an enum as a bare string or as {name}, then both are accepted (docs/storware-api.md §3)', async () => {
      const guid = vmGuid(sim, acmeWeb.uuid);
      const bare = await call('POST', '/tasks/export', { backupType: 'FULL', protectedEntities: [guid] });
      const object = await call('POST', '/tasks/export', {
        backupType: { name: 'FULL' },
        protectedEntities: [{ guid }],
      });
      expect([bare.status, object.status]).toEqual([201, 201]);
      expect(bare.body.backupType).toEqual({ name: 'FULL', description: 'Full' });
    });

    it('when the enum style is switched to strings, then answers carry bare names (a client-robustness knob)', async () => {
      sim.setEnumStyle('string');
      const task = await exportOf(acmeWeb.uuid);
      expect(task).toMatchObject({ type: 'EXPORT', state: 'RUNNING', backupType: 'FULL' });
    });

    it('when a request is refused, then the body is {message}', async () => {
      const answer = await call('POST', '/tasks/export', {
        backupType: 'DIFFERENTIAL',
        protectedEntities: [{ guid: 'x' }],
      });
      expect(answer).toMatchObject({
        status: 400,
        body: { message: 'backupType must be FULL or INCREMENTAL' },
      });
    });
  });

  describe('task model (docs/storware-api.md §6)', () => {
    it('when an export runs, then QUEUED/RUNNING → FINISHED with rising progress, then STORE, then the backup is SUCCESS (EXPORT then STORE)', async () => {
      const started = clock.now();
      const task = await exportOf(acmeWeb.uuid);
      expect(task).toMatchObject({
        state: { name: 'RUNNING' },
        type: { name: 'EXPORT' },
        progress: 0,
        startTime: started,
      });
      expect(sim.state.backups().find((b) => b.guid === task.backup.guid)).toMatchObject({
        status: 'IN_PROGRESS',
      });

      clock.advance(250);
      const quarter = (await call('GET', `/tasks/${task.guid}`)).body;
      clock.advance(500);
      const threeQuarters = (await call('GET', `/tasks/${task.guid}`)).body;
      clock.advance(250);
      const done = (await call('GET', `/tasks/${task.guid}`)).body;
      const [store] = (await call('GET', `/tasks?parent-task=${task.guid}`)).body;

      expect([quarter.progress, threeQuarters.progress, done.progress]).toEqual([25, 75, 100]);
      expect(done).toMatchObject({ state: { name: 'FINISHED' }, finishTime: started + 1_000 });
      expect(store).toMatchObject({
        type: { name: 'STORE' },
        state: { name: 'RUNNING' },
        parentTask: { guid: task.guid },
      });

      clock.advance(1_000);
      const backup = (await call('GET', `/backups/${task.backup.guid}`)).body;
      const vm = (await call('GET', `/virtual-machines/${vmGuid(sim, acmeWeb.uuid)}`)).body;
      expect(backup).toMatchObject({
        type: { name: 'FULL' },
        status: { name: 'SUCCESS' },
        snapshotTime: started,
        backupTime: started + 2_000,
        size: expect.any(Number),
      });
      expect(backup.size).toBeGreaterThan(0);
      expect(vm).toMatchObject({
        lastBackup: started + 2_000,
        lastSuccessfulBackupSize: backup.size,
        backupUpToDate: true,
      });
      expect(vm.lastSuccessfulFullBackup.guid).toBe(backup.guid);
    });

    it('when a failure is injected, then the task ends FAILED with statusInfo and its backup FAILED', async () => {
      sim.failNextTask('export', 'Export failed: disk unreadable');
      const task = await exportOf(acmeWeb.uuid);
      clock.advance(1_000);

      const failed = (await call('GET', `/tasks/${task.guid}`)).body;

      expect(failed).toMatchObject({
        state: { name: 'FAILED' },
        statusInfo: 'Export failed: disk unreadable',
        progress: 50,
      });
      expect((await call('GET', `/tasks?parent-task=${task.guid}`)).body).toEqual([]);
      expect((await call('GET', `/backups/${task.backup.guid}`)).body).toMatchObject({
        status: { name: 'FAILED' },
      });
      const next = await exportOf(acmeWeb.uuid);
      clock.advance(1_000);
      expect((await call('GET', `/tasks/${next.guid}`)).body.state.name).toBe('FINISHED');
    });

    it('when windowStart is in the future, then the task stays QUEUED until then (docs/storware-api.md §6, time window)', async () => {
      const windowStart = clock.now() + HOUR;
      const task = await exportOf(acmeWeb.uuid, { windowStart, windowEnd: windowStart + HOUR });

      clock.advance(HOUR - 1);
      const waiting = (await call('GET', `/tasks/${task.guid}`)).body;
      clock.advance(1);
      const running = (await call('GET', `/tasks/${task.guid}`)).body;

      expect(waiting).toMatchObject({ state: { name: 'QUEUED' }, progress: 0, startTime: null });
      expect(running).toMatchObject({ state: { name: 'RUNNING' }, startTime: windowStart });
    });

    it('when a task cannot start before windowEnd, then it fails (docs/storware-api.md §6: it must start inside the window)', async () => {
      await start({ maxRunningTasks: 1, taskDurationMs: { EXPORT: 2 * HOUR, STORE: 1_000 } });
      const blocker = await exportOf(acmeDb.uuid, { priority: 90 });
      const late = await exportOf(acmeWeb.uuid, { priority: 10, windowEnd: clock.now() + HOUR });

      clock.advance(HOUR + 1);
      const failed = (await call('GET', `/tasks/${late.guid}`)).body;

      expect(blocker.state.name).toBe('RUNNING');
      expect(failed).toMatchObject({
        state: { name: 'FAILED' },
        statusInfo: expect.stringMatching(/time window/),
        startTime: null,
      });
    });

    it('when tasks wait for a slot, then the higher priority starts first (docs/storware-api.md §6, priority)', async () => {
      await start({ maxRunningTasks: 1 });
      await exportOf(acmeDb.uuid);
      const low = await exportOf(globexApp.uuid, { priority: 10 });
      const high = await exportOf(initechFile.uuid, { priority: 95 });

      clock.advance(1_000);

      expect((await call('GET', `/tasks/${high.guid}`)).body.state.name).toBe('RUNNING');
      expect((await call('GET', `/tasks/${low.guid}`)).body.state.name).toBe('QUEUED');
    });

    it('when a task is cancelled via PUT /tasks/{guid}/state, then it is CANCELLED with the statusInfo; an ended task refuses', async () => {
      const task = await exportOf(acmeWeb.uuid);
      clock.advance(300);

      const answer = await call('PUT', `/tasks/${task.guid}/state`, {
        state: { name: 'CANCELLED' },
        statusInfo: 'Canceled by user',
      });
      clock.advance(5_000);

      expect(answer.status).toBe(200);
      expect((await call('GET', `/tasks/${task.guid}`)).body).toMatchObject({
        state: { name: 'CANCELLED' },
        statusInfo: 'Canceled by user',
        progress: 30,
        finishTime: clock.now() - 5_000,
      });
      expect((await call('GET', `/tasks?parent-task=${task.guid}`)).body).toEqual([]);
      expect((await call('GET', `/backups/${task.backup.guid}`)).body.status.name).toBe('FAILED');
      expect((await call('PUT', `/tasks/${task.guid}/state`, { state: 'CANCELLED' })).status).toBe(400);
      expect((await call('PUT', `/tasks/${task.guid}/state`, { state: 'RUNNING' })).status).toBe(400);
    });

    it('when filtering tasks by states (repeatable), type and protected entity, then only matching tasks come back (docs/storware-api.md §5, DOC filters)', async () => {
      const web = await exportOf(acmeWeb.uuid);
      await exportOf(acmeDb.uuid);
      clock.advance(1_000);

      const stores = await call(
        'GET',
        `/tasks?type=STORE&states=QUEUED&states=RUNNING&protected-entity=${web.protectedEntity.guid}`,
      );
      const finished = await call('GET', '/tasks?state=FINISHED');

      expect(stores.body.map((t: Json) => t.parentTask.guid)).toEqual([web.guid]);
      expect(finished.body).toHaveLength(2);
    });
  });

  describe('export, restore and policies (docs/storware-api.md §7)', () => {
    it('when INCREMENTAL is asked for a VM whose policy has no incremental schedule, then a FULL is taken (docs/storware-api.md §7 Export)', async () => {
      const db = await exportOf(acmeDb.uuid, { backupType: { name: 'INCREMENTAL' } });
      const web = await exportOf(acmeWeb.uuid, { backupType: { name: 'INCREMENTAL' } });
      expect(db.backupType.name).toBe('FULL');
      expect(web.backupType.name).toBe('INCREMENTAL');
    });

    it('when an instance has backups, then several of both types and ages come back newest first, one FAILED', async () => {
      const list = (await call('GET', `/backups?protected-entity=${vmGuid(sim, globexApp.uuid)}`))
        .body as Json[];
      expect(list.map((b) => `${b.type.name}:${b.status.name}`)).toEqual([
        'INCREMENTAL:SUCCESS',
        'FULL:FAILED',
        'INCREMENTAL:SUCCESS',
        'FULL:SUCCESS',
      ]);
      const ages = list.map((b) => Math.round((clock.now() - b.snapshotTime) / (24 * HOUR)));
      expect(ages).toEqual([1, 2, 4, 8]);
      const ok = (
        await call('GET', `/backups?protected-entity=${vmGuid(sim, globexApp.uuid)}&status=SUCCESS`)
      ).body;
      expect(ok).toHaveLength(3);
    });

    it('when restore-and-import runs, then RESTORE → IMPORT creates the instance under the new name in the same project', async () => {
      const source = vmGuid(sim, acmeWeb.uuid);
      const [backup] = (await call('GET', `/backups?protected-entity=${source}&status=SUCCESS`)).body;

      const restore = await call('POST', '/tasks/restore-and-import', {
        backupLocation: { guid: backup.backupLocations[0].guid, backup: { guid: backup.guid } },
        hypervisorManager: { guid: sim.state.hypervisorManagerGuid() },
        restoredPeName: 'acme-web-restored',
      });
      clock.advance(1_000);
      const [importTask] = (await call('GET', `/tasks?parent-task=${restore.body.guid}`)).body;
      const midway = await call('GET', `/virtual-machines?project-uuid=${ACME}&nameLike=restored`);
      clock.advance(1_000);
      const after = await call('GET', `/virtual-machines?project-uuid=${ACME}&nameLike=restored`);

      expect(restore).toMatchObject({
        status: 201,
        body: { type: { name: 'RESTORE' }, protectedEntity: { guid: source } },
      });
      expect(importTask).toMatchObject({ type: { name: 'IMPORT' }, state: { name: 'RUNNING' } });
      expect(midway.body).toEqual([]);
      expect(after.body).toEqual([expect.objectContaining({ name: 'acme-web-restored', present: true })]);
      expect(after.body[0].uuid).not.toBe(acmeWeb.uuid);
      expect((await call('GET', `/tasks/${restore.body.guid}`)).body.dstProtectedEntity).toEqual({
        guid: after.body[0].guid,
        name: 'acme-web-restored',
      });
    });

    it('when restoring over the original with overwrite, then the old record is no longer present and a new one is', async () => {
      const source = vmGuid(sim, acmeWeb.uuid);
      const [backup] = (await call('GET', `/backups?protected-entity=${source}&status=SUCCESS`)).body;

      await call('POST', '/tasks/restore', {
        backup: backup.guid,
        restoredPeName: acmeWeb.name,
        overwrite: true,
      });
      clock.advance(2_000);
      const list = (await call('GET', `/virtual-machines?project-uuid=${ACME}&nameLike=${acmeWeb.name}`))
        .body as Json[];

      expect(list.map((vm) => vm.present).sort()).toEqual([false, true]);
      expect(list.find((vm) => vm.guid === source)!.present).toBe(false);
    });

    it('when restoring under a name taken in the project without overwrite, then IMPORT fails with statusInfo', async () => {
      const [backup] = (
        await call('GET', `/backups?protected-entity=${vmGuid(sim, acmeWeb.uuid)}&status=SUCCESS`)
      ).body;
      const restore = await call('POST', '/tasks/restore-and-import', {
        backup: { guid: backup.guid },
        restoredPeName: acmeDb.name,
      });
      clock.advance(2_000);

      const [importTask] = (await call('GET', `/tasks?parent-task=${restore.body.guid}`)).body;

      expect(importTask).toMatchObject({
        state: { name: 'FAILED' },
        statusInfo: expect.stringContaining('already exists'),
      });
    });

    it('when a FAILED backup is restored, then 400 {message}', async () => {
      const failed = sim.state.backups(vmGuid(sim, acmeWeb.uuid)).find((b) => b.status === 'FAILED')!;
      const answer = await call('POST', '/tasks/restore-and-import', { backup: failed.guid });
      expect(answer).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining('cannot be restored') },
      });
    });

    it('when a policy is set through VM settings, then the policy’s vms follow; and the other way round (docs/storware-api.md §5 policies)', async () => {
      const file = vmGuid(sim, initechFile.uuid);
      const vm = (await call('GET', `/virtual-machines/${file}`)).body;

      const put = await call('PUT', `/virtual-machines/${file}/settings`, {
        ...vm,
        vmBackupPolicy: { guid: FIXTURE.policies.gold.guid },
      });
      const gold = (await call('GET', `/policies/vm-backup/${FIXTURE.policies.gold.guid}`)).body;

      expect(put.body.vmBackupPolicy).toEqual({
        guid: FIXTURE.policies.gold.guid,
        name: FIXTURE.policies.gold.name,
      });
      expect(gold.vms.map((v: Json) => v.guid)).toContain(file);

      const bronze = (await call('GET', `/policies/vm-backup/${FIXTURE.policies.bronze.guid}`)).body;
      await call('PUT', `/policies/vm-backup/${bronze.guid}`, {
        ...bronze,
        vms: [...bronze.vms, { guid: file }],
      });
      expect((await call('GET', `/virtual-machines/${file}`)).body.vmBackupPolicy.guid).toBe(
        FIXTURE.policies.bronze.guid,
      );
      expect(sim.state.policyVmGuids(FIXTURE.policies.gold.guid)).not.toContain(file);
    });

    it('when the simplified /policies/assign of public write-ups (docs/design.md) is used, then it assigns like VM settings do', async () => {
      const db = vmGuid(sim, acmeDb.uuid);
      const answer = await call('POST', '/policies/assign', {
        policy: { guid: FIXTURE.policies.gold.guid },
        vms: [{ guid: db }],
      });
      expect(answer.status).toBe(200);
      expect(sim.state.policyVmGuids(FIXTURE.policies.gold.guid)).toContain(db);
    });

    it('when restore settings are read, then NICs, target networks and security groups follow docs/storware-api.md §7 restore-settings', async () => {
      const [backup] = (
        await call('GET', `/backups?protected-entity=${vmGuid(sim, acmeWeb.uuid)}&status=SUCCESS`)
      ).body;
      const [cluster] = (
        await call('GET', `/hypervisor-clusters?hypervisor-manager=${sim.state.hypervisorManagerGuid()}`)
      ).body;

      const answer = await call(
        'GET',
        `/openstack/restore-settings?hvm-guid=${sim.state.hypervisorManagerGuid()}&backup-guid=${backup.guid}&cluster-guid=${cluster.guid}`,
      );

      expect(Object.keys(answer.body.networkSection).sort()).toEqual([
        'securityGroupsFromHypervisorManager',
        'sourceNetworkWithSecurityGroups',
        'targetNetworks',
      ]);
      expect(answer.body.networkSection.sourceNetworkWithSecurityGroups[0]).toMatchObject({
        name: 'eth0',
        defaultMacAddress: expect.stringMatching(/^fa:16:3e:/),
      });
      expect((await call('GET', '/openstack/restore-settings?hvm-guid=x')).status).toBe(400);
    });
  });

  describe('inventory sync (docs/storware-api.md §5 Tasks)', () => {
    it('when acme-new-01 was just provisioned, then it is listed only after an inventory-sync task finished', async () => {
      const query = `/virtual-machines?project-uuid=${ACME}&uuid=${acmeNew.uuid}`;
      expect((await call('GET', query)).body).toEqual([]);

      const sync = await call('POST', '/tasks/inventory-sync', {
        hypervisorManagers: [{ guid: sim.state.hypervisorManagerGuid() }],
      });
      clock.advance(999);
      const during = (await call('GET', query)).body;
      clock.advance(1);
      const after = (await call('GET', query)).body;

      expect(sync.body).toMatchObject({
        type: { name: 'INVENTORY_SYNC' },
        hypervisorManager: { guid: sim.state.hypervisorManagerGuid() },
      });
      expect(during).toEqual([]);
      expect(after).toEqual([
        expect.objectContaining({ name: acmeNew.name, present: true, vmBackupPolicy: null }),
      ]);
    });

    it('when no sync is asked for, then the instance appears after the periodic sync delay', async () => {
      await start({ inventorySyncDelayMs: 30_000 });
      const query = `/virtual-machines?project-uuid=${ACME}&uuid=${acmeNew.uuid}`;
      clock.advance(29_999);
      expect((await call('GET', query)).body).toEqual([]);
      clock.advance(1);
      expect((await call('GET', query)).body).toHaveLength(1);
    });

    it('when an instance is provisioned at run time, then it follows the same rules', async () => {
      const pending = sim.provisionInstance({ name: 'globex-new-02', projectUuid: GLOBEX });
      expect(sim.state.vmByInstanceUuid(pending.uuid)).toBeUndefined();
      await call('POST', '/tasks/inventory-sync', {
        hypervisorManagers: [sim.state.hypervisorManagerGuid()],
      });
      clock.advance(1_000);
      expect(sim.state.vmByInstanceUuid(pending.uuid)).toMatchObject({ name: 'globex-new-02' });
    });
  });

  describe('simulator controls', () => {
    it('when two simulators share a seed, then their guids match; another seed differs', async () => {
      const twin = await startStorwareSimulator({ now: clock.now, seed: 1 });
      const other = await startStorwareSimulator({ now: clock.now, seed: 2 });
      try {
        expect(twin.state.vms().map((vm) => vm.guid)).toEqual(sim.state.vms().map((vm) => vm.guid));
        expect(other.state.vms().map((vm) => vm.guid)).not.toEqual(sim.state.vms().map((vm) => vm.guid));
      } finally {
        await twin.close();
        await other.close();
      }
    });

    it('when a fault is injected on a route, then that route answers it and others do not', async () => {
      sim.server.addFault({ path: '^/api/tasks$', status: 503, times: 1 });
      expect(await call('GET', '/tasks')).toMatchObject({
        status: 503,
        body: { message: 'injected fault 503' },
      });
      expect((await call('GET', '/tasks')).status).toBe(200);
    });

    it('when controlled over the admin endpoints, then failures, session expiry and state are reachable out of process', async () => {
      const admin = (method: string, path: string, body?: unknown) =>
        fetch(`${sim.url}/__admin/storware/${path}`, {
          method,
          headers: { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });

      expect((await admin('POST', 'fail-next-task', { type: 'restore', statusInfo: 'boom' })).status).toBe(
        204,
      );
      const [backup] = (
        await call('GET', `/backups?protected-entity=${vmGuid(sim, acmeWeb.uuid)}&status=SUCCESS`)
      ).body;
      const restore = (
        await call('POST', '/tasks/restore-and-import', { backup: backup.guid, restoredPeName: 'x' })
      ).body;
      clock.advance(1_000);
      expect((await call('GET', `/tasks/${restore.guid}`)).body).toMatchObject({
        state: { name: 'FAILED' },
        statusInfo: 'boom',
      });

      const state = (await (await admin('GET', 'state')).json()) as Json;
      expect(state.tasks).toHaveLength(1);
      expect((await admin('POST', 'expire-sessions')).status).toBe(204);
      expect((await call('GET', '/session')).status).toBe(401);
    });
  });
});
