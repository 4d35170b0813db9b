/**
 * Contract tests: the Storware client against the Storware simulator (both built from
 * docs/storware-api.md). Every client operation is exercised over real HTTP on a loopback port; time is
 * a manual clock, so task lifecycles take no wall time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { createStorwareClient, isTerminalTaskState, type StorwareTask } from '../../src/clients/storware';
import { UpstreamError, ValidationError } from '../../src/errors';
import { silentLogger } from '../../src/logger';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { captureLogger } from '../helpers/log-capture';
import {
  sentSessionTokens,
  startStorwareHarness,
  STORWARE_PASSWORD,
  STORWARE_USER,
  type StorwareHarness,
  vmGuid,
} from '../helpers/storware-harness';

const ACME = FIXTURE.projects.acme.id;
const GLOBEX = FIXTURE.projects.globex.id;
const { acmeWeb, acmeDb, acmeNew, globexApp, initechFile } = FIXTURE.instances;

async function caught(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Storware client ↔ simulator', () => {
  let h: StorwareHarness;

  beforeEach(async () => {
    h = await startStorwareHarness({ sessionTtlMs: 60_000, taskDurationMs: 1_000 });
  });

  afterEach(async () => {
    await h.close();
  });

  describe('session (docs/storware-api.md §2)', () => {
    it('when the first call is made, then the client logs in once and sends the session cookie back', async () => {
      await h.client.listVirtualMachines({ projectUuid: ACME });
      await h.client.listVirtualMachines({ projectUuid: ACME });

      const logins = h.sim.server.calls({ method: 'POST', path: '/api/session/login' });
      expect(logins).toHaveLength(1);
      expect(logins[0]!.status).toBe(201);
      expect(logins[0]!.body).toEqual({ login: STORWARE_USER, password: STORWARE_PASSWORD });
      const lists = h.sim.server.calls({ path: '/api/virtual-machines' });
      expect(lists.map((c) => c.status)).toEqual([200, 200]);
      expect(lists[0]!.headers.cookie).toMatch(/^JSESSIONID=[0-9A-F]+$/);
    });

    it('when several calls start together, then they share one login', async () => {
      await Promise.all([
        h.client.listHypervisorManagers(),
        h.client.listVmBackupPolicies(),
        h.client.listTasks(),
      ]);
      expect(h.sim.server.calls({ path: '/api/session/login' })).toHaveLength(1);
    });

    it('when the session expired, then exactly one re-login happens and the call succeeds', async () => {
      await h.client.listVirtualMachines({ projectUuid: ACME });
      h.clock.advance(61_000); // past the idle timeout

      const page = await h.client.listVirtualMachines({ projectUuid: ACME });

      expect(page.items.length).toBeGreaterThan(0);
      expect(h.sim.server.calls({ path: '/api/session/login' })).toHaveLength(2);
      expect(h.sim.server.calls({ path: '/api/virtual-machines' }).map((c) => c.status)).toEqual([
        200, 401, 200,
      ]);
    });

    it('when Storware still answers 401 after the re-login, then a retryable UpstreamError follows and no third login', async () => {
      await h.client.listTasks();
      h.sim.server.addFault({ path: '^/api/tasks$', status: 401, times: 2 });

      const error = await caught(h.client.listTasks());

      expect(error).toMatchObject({
        system: 'storware',
        status: 401,
        retryable: true,
        operation: 'listTasks',
      });
      expect(h.sim.server.calls({ path: '/api/session/login' })).toHaveLength(2);
    });

    it('when the credentials are wrong, then login fails retryably (an operator must fix them) without looping', async () => {
      const client = h.newClient({ password: 'wrong-password' });

      const error = await caught(client.listTasks());

      expect(error).toMatchObject({
        status: 401,
        retryable: true,
        operation: 'login',
        code: 'storware_unavailable',
      });
      expect(error.message).toContain('STORWARE_PASSWORD');
      expect(h.sim.server.calls({ path: '/api/session/login' })).toHaveLength(1);
    });

    it('when login() is called, then the session info is normalised (privileges as names)', async () => {
      const info = await h.client.login();
      expect(info.requester?.name).toBe(STORWARE_USER);
      expect(info.privileges).toContain('VM_BACKUP');
      expect(info.lastSuccessfulLogin).toBe(h.clock.now());
    });

    it('when checking the session, then it is false before login, true while valid, false once expired', async () => {
      expect(await h.client.checkSession()).toBe(false);
      await h.client.login();
      expect(await h.client.checkSession()).toBe(true);
      expect(h.sim.server.calls({ method: 'GET', path: '/api/session' }).at(-1)!.status).toBe(204);
      h.sim.expireSessions();
      expect(await h.client.checkSession()).toBe(false);
    });

    it('when logging out, then the server session ends and the next call logs in again', async () => {
      await h.client.login();
      expect(h.sim.state.sessionCount()).toBe(1);

      await h.client.logout();
      expect(h.sim.state.sessionCount()).toBe(0);
      await h.client.listTasks();

      expect(h.sim.server.calls({ path: '/api/session/logout' })).toHaveLength(1);
      expect(h.sim.server.calls({ path: '/api/session/login' })).toHaveLength(2);
    });
  });

  describe('inventory (docs/storware-api.md §4, §5, §7 VM)', () => {
    it('when listing a project, then only its instances come back, with Nova uuid and project', async () => {
      const page = await h.client.listVirtualMachines({ projectUuid: ACME });

      expect(page.items.map((vm) => vm.name).sort()).toEqual([acmeDb.name, acmeWeb.name]);
      expect(page.total).toBe(2);
      const web = page.items.find((vm) => vm.name === acmeWeb.name)!;
      expect(web).toMatchObject({
        uuid: acmeWeb.uuid,
        present: true,
        project: { name: FIXTURE.projects.acme.name },
        hypervisorManagerType: 'OPENSTACK',
        vmBackupPolicy: { guid: FIXTURE.policies.gold.guid, name: FIXTURE.policies.gold.name },
      });
      expect(h.sim.server.calls({ path: '/api/virtual-machines' })[0]!.query).toMatchObject({
        'project-uuid': ACME,
      });
    });

    it("when asking for another project's instance by uuid, then nothing comes back", async () => {
      const own = await h.client.listVirtualMachines({ projectUuid: GLOBEX, uuid: globexApp.uuid });
      const foreign = await h.client.listVirtualMachines({ projectUuid: ACME, uuid: globexApp.uuid });

      expect(own.items.map((vm) => vm.uuid)).toEqual([globexApp.uuid]);
      expect(foreign.items).toEqual([]);
    });

    it('when paging through instances, then every page is read and the total comes from X-Total-Count', async () => {
      const first = await h.client.listVirtualMachines({
        projectUuid: ACME,
        page: 0,
        size: 1,
        orderBy: 'name',
      });
      const all = await h.client.listAllVirtualMachines({ projectUuid: ACME }, { pageSize: 1 });

      expect(first).toEqual({ items: [expect.objectContaining({ name: acmeDb.name })], total: 2 });
      expect(all.map((vm) => vm.name).sort()).toEqual([acmeDb.name, acmeWeb.name]);
      expect(h.sim.server.calls({ path: '/api/virtual-machines' }).map((c) => c.query.page)).toEqual([
        '0',
        '0',
        '1',
      ]);
    });

    it('when an instance is read by guid, then it is normalised; an unknown guid is a permanent 404', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      expect(await h.client.getVirtualMachine(guid)).toMatchObject({ guid, name: acmeWeb.name });

      const error = await caught(h.client.getVirtualMachine('00000000-0000-4000-8000-000000000000'));
      expect(error).toMatchObject({ status: 404, retryable: false, code: 'storware_rejected' });
      expect(error.remoteMessage).toContain('not found');
    });

    it('when a policy is assigned, then the whole VM is PUT back with vmBackupPolicy and the policy lists it', async () => {
      const guid = vmGuid(h.sim, initechFile.uuid);

      const vm = await h.client.assignVmBackupPolicy(guid, FIXTURE.policies.silver.guid);

      expect(vm.vmBackupPolicy).toEqual({
        guid: FIXTURE.policies.silver.guid,
        name: FIXTURE.policies.silver.name,
      });
      const put = h.sim.server.calls({ method: 'PUT' })[0]!;
      expect(put.path).toBe(`/api/virtual-machines/${guid}/settings`);
      expect(put.body).toMatchObject({
        guid,
        uuid: initechFile.uuid,
        name: initechFile.name,
        vmBackupPolicy: { guid: FIXTURE.policies.silver.guid },
      });
      const policy = await h.client.getVmBackupPolicy(FIXTURE.policies.silver.guid);
      expect(policy.vms.map((r) => r.guid)).toContain(guid);
    });

    it('when listing policies, then the three tiers come back with their members', async () => {
      const policies = await h.client.listVmBackupPolicies();
      expect(policies.map((p) => p.guid).sort()).toEqual(
        Object.values(FIXTURE.policies)
          .map((p) => p.guid)
          .sort(),
      );
      const gold = policies.find((p) => p.guid === FIXTURE.policies.gold.guid)!;
      expect(gold.vms.map((v) => v.name)).toContain(acmeWeb.name);
      expect(gold.rules).toHaveLength(1);
    });

    it('when reading managers, zones, flavors, networks and projects, then each is normalised', async () => {
      const [manager] = await h.client.listHypervisorManagers();
      expect(manager).toMatchObject({ type: 'OPENSTACK', name: 'RegionOne' });
      const zones = await h.client.listAvailabilityZones(manager!.guid);
      expect(zones.map((z) => z.uuid)).toEqual(['nova', 'az-2']);
      const flavors = await h.client.listFlavors(manager!.guid);
      expect(flavors.map((f) => f.name)).toEqual(['m1.small', 'm1.medium', 'm1.large']);
      const networks = await h.client.listNetworks(manager!.guid, { projectUuid: ACME });
      expect(networks.map((n) => n.name).sort()).toEqual(['acme-prod-net', 'public']);
      const projects = await h.client.listProjects();
      expect(projects?.map((p) => p.uuid).sort()).toEqual([ACME, GLOBEX, FIXTURE.projects.initech.id].sort());
    });

    it('when the server has no /projects endpoint, then listProjects answers undefined', async () => {
      h.sim.server.addFault({ path: '^/api/projects$', status: 404, body: { message: 'Not found' } });
      expect(await h.client.listProjects()).toBeUndefined();
    });
  });

  describe('backups (docs/storware-api.md §5, §7 Backup)', () => {
    it('when listing an instance’s backups, then both types and a failure come back newest first, times in epoch ms', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);

      const backups = await h.client.listBackups(guid);

      expect(backups.map((b) => `${b.type}/${b.status}`)).toEqual([
        'INCREMENTAL/SUCCESS',
        'FULL/FAILED',
        'INCREMENTAL/SUCCESS',
        'FULL/SUCCESS',
      ]);
      const stored = h.sim.state.backups(guid).find((b) => b.guid === backups[0]!.guid)!;
      expect(backups[0]!.snapshotTime).toBe(stored.snapshotTime);
      expect(backups[0]!.backupTime).toBe(stored.backupTime);
      expect(backups[1]!.statusInfo).toMatch(/snapshot/);
      const ok = await h.client.listBackups(guid, { statuses: ['SUCCESS'] });
      expect(ok.every((b) => b.status === 'SUCCESS')).toBe(true);
      expect(h.sim.server.calls({ path: '/api/backups' }).at(-1)!.query).toMatchObject({ status: 'SUCCESS' });
    });

    it('when reading one backup and the locations, then NICs and PRESENT locations are there', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const [latest] = await h.client.listBackups(guid, { statuses: ['SUCCESS'] });

      const backup = await h.client.getBackup(latest!.guid);
      const locations = await h.client.listBackupLocations(guid, { status: 'PRESENT' });

      expect(backup.networkInterfaceCards).toEqual([
        expect.objectContaining({
          name: 'eth0',
          network: expect.objectContaining({ name: 'acme-prod-net' }),
        }),
      ]);
      expect(locations).toHaveLength(3);
      expect(locations.every((l) => l.status === 'PRESENT' && l.roleType === 'PRIMARY')).toBe(true);
      expect(locations.map((l) => l.backupGuid)).toContain(latest!.guid);
    });

    it('when asking for restore settings, then the backup’s NICs, target networks and security groups come back', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const [latest] = await h.client.listBackups(guid, { statuses: ['SUCCESS'] });
      const [manager] = await h.client.listHypervisorManagers();
      const [zone] = await h.client.listAvailabilityZones(manager!.guid);

      const settings = await h.client.getOpenstackRestoreSettings({
        hypervisorManagerGuid: manager!.guid,
        backupGuid: latest!.guid,
        clusterGuid: zone!.guid,
      });

      expect(settings.sourceNetworks).toHaveLength(1);
      expect(settings.sourceNetworks[0]!.securityGroupsFromBackup.map((g) => g.name)).toEqual(['default']);
      expect(settings.targetNetworks.map((n) => n.name).sort()).toEqual(['acme-prod-net', 'public']);
      expect(settings.securityGroups.map((g) => g.name).sort()).toEqual(['default', 'web']);
    });
  });

  describe('tasks (docs/storware-api.md §5, §6, §7)', () => {
    it('when an export is created, then the body follows the UI form and the EXPORT task is returned', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);

      const { tasks, unsuccessful } = await h.client.createExportTask({
        vmGuids: [guid],
        backupType: 'FULL',
        priority: 70,
      });

      expect(unsuccessful).toEqual([]);
      expect(tasks).toEqual([
        expect.objectContaining({
          type: 'EXPORT',
          state: 'RUNNING',
          backupType: 'FULL',
          priority: 70,
          windowStart: h.clock.now(),
          protectedEntity: { guid, name: acmeWeb.name },
        }),
      ]);
      expect(h.sim.server.calls({ path: '/api/tasks/export' })[0]!.body).toEqual({
        backupType: { name: 'FULL' },
        protectedEntities: [{ guid }],
        priority: 70,
        windowStart: h.clock.now(),
        retryCount: 0,
        protectedEntityType: 'VM',
        async: true,
      });
    });

    it('when polling a backup, then EXPORT progress rises, finishes, and a STORE task follows (EXPORT then STORE)', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const [exportTask] = (await h.client.createExportTask({ vmGuids: [guid], backupType: 'INCREMENTAL' }))
        .tasks;

      h.clock.advance(400);
      const mid = await h.client.getTask(exportTask!.guid);
      h.clock.advance(700);
      const done = await h.client.getTask(exportTask!.guid);
      const store = await h.client.listTasks({ parentTaskGuid: exportTask!.guid });

      expect(mid).toMatchObject({ state: 'RUNNING', progress: 40 });
      expect(done).toMatchObject({ state: 'FINISHED', progress: 100, finishTime: h.clock.now() - 100 });
      expect(isTerminalTaskState(done.state)).toBe(true);
      expect(store.items).toEqual([
        expect.objectContaining({ type: 'STORE', state: 'RUNNING', parentTask: { guid: exportTask!.guid } }),
      ]);
    });

    it('when listing tasks with states, type and project filters, then the query carries them', async () => {
      const web = vmGuid(h.sim, acmeWeb.uuid);
      const app = vmGuid(h.sim, globexApp.uuid);
      await h.client.createExportTask({ vmGuids: [web], backupType: 'FULL' });
      await h.client.createExportTask({ vmGuids: [app], backupType: 'FULL' });

      const acme = await h.client.listTasks({
        projectUuid: ACME,
        states: ['QUEUED', 'RUNNING'],
        type: 'EXPORT',
      });

      expect(acme.items.map((t) => t.protectedEntity?.guid)).toEqual([web]);
      const call = h.sim.server.calls({ path: '/api/tasks' }).at(-1)!;
      expect(call.query).toMatchObject({ 'project-uuid': ACME, type: 'EXPORT' });
      expect(new URLSearchParams(Object.entries(call.query)).getAll('states')).toHaveLength(1);
    });

    it('when paging through tasks, then listAllTasks follows several pages and returns each task once', async () => {
      const guids = [acmeWeb, acmeDb, globexApp, initechFile].map((i) => vmGuid(h.sim, i.uuid));
      for (const guid of guids) {
        await h.client.createExportTask({ vmGuids: [guid], backupType: 'FULL' });
      }
      await h.client.createInventorySyncTask(h.sim.state.hypervisorManagerGuid());

      const all = await h.client.listAllTasks({}, { pageSize: 2 });

      expect(all).toHaveLength(5);
      expect(new Set(all.map((t) => t.guid)).size).toBe(5);
      expect(h.sim.server.calls({ path: '/api/tasks' }).map((c) => c.query.page)).toEqual(['0', '1', '2']);
    });

    it('when a restore is created from a backup location, then RESTORE runs, IMPORT follows and names the new instance', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const [latest] = await h.client.listBackups(guid, { statuses: ['SUCCESS'] });
      const [manager] = await h.client.listHypervisorManagers();

      const { tasks } = await h.client.createRestoreAndImportTask({
        backupGuid: latest!.guid,
        backupLocationGuid: latest!.locations[0]!.guid,
        hypervisorManagerGuid: manager!.guid,
        restoredName: 'acme-web-01-restored',
      });
      h.clock.advance(2_000);
      const restore = await h.client.getTask(tasks[0]!.guid);
      const [importTask] = (await h.client.listTasks({ parentTaskGuid: restore.guid })).items;

      expect(tasks[0]).toMatchObject({
        type: 'RESTORE',
        restoreType: 'RESTORE_AND_IMPORT',
        backup: { guid: latest!.guid },
      });
      expect(importTask).toMatchObject({
        type: 'IMPORT',
        state: 'FINISHED',
        dstProtectedEntity: { name: 'acme-web-01-restored' },
      });
      expect(h.sim.server.calls({ path: '/api/tasks/restore-and-import' })[0]!.body).toEqual({
        backupLocation: { guid: latest!.locations[0]!.guid, backup: { guid: latest!.guid } },
        hypervisorManager: { guid: manager!.guid },
        restoredPeName: 'acme-web-01-restored',
        overwrite: false,
      });
      const restored = await h.client.listVirtualMachines({ projectUuid: ACME });
      expect(restored.items.map((vm) => vm.name)).toContain('acme-web-01-restored');
    });

    it('when a restore chooses flavor, zone, project and NIC networks, then they reach Storware and shape the new instance', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const [latest] = await h.client.listBackups(guid, { statuses: ['SUCCESS'] });
      const backup = await h.client.getBackup(latest!.guid);
      const [manager] = await h.client.listHypervisorManagers();
      const zone = (await h.client.listAvailabilityZones(manager!.guid)).find((z) => z.name === 'az-2')!;
      const large = (await h.client.listFlavors(manager!.guid)).find((f) => f.name === 'm1.large')!;
      const shared = (await h.client.listNetworks(manager!.guid, { projectUuid: ACME })).find(
        (n) => n.name === 'public',
      )!;
      const acme = (await h.client.listProjects())!.find((p) => p.uuid === ACME)!;
      const nic = backup.networkInterfaceCards![0]!;

      const { tasks } = await h.client.createRestoreAndImportTask({
        backupGuid: backup.guid,
        hypervisorManagerGuid: manager!.guid,
        restoredName: 'acme-web-01-copy',
        projectGuid: acme.guid,
        availabilityZoneUuid: zone.uuid!,
        flavorGuid: large.guid,
        powerOnAfterRestore: true,
        networks: [
          { nicGuid: nic.guid, nicName: nic.name!, networkGuid: shared.guid, securityGroupGuids: ['sg-1'] },
        ],
      });
      h.clock.advance(2_000);

      expect(h.sim.server.calls({ path: '/api/tasks/restore-and-import' })[0]!.body).toEqual({
        backup: backup.guid,
        hypervisorManager: { guid: manager!.guid },
        restoredPeName: 'acme-web-01-copy',
        overwrite: false,
        restoreProject: { guid: acme.guid },
        restoreClusterId: 'az-2',
        restoreVmFlavor: { guid: large.guid },
        powerOnAfterRestore: true,
        restoredNetworks: [
          {
            network: { guid: shared.guid },
            networkInterfaceCard: { guid: nic.guid, name: nic.name },
            securityGroups: ['sg-1'],
          },
        ],
      });
      const restored = await h.client.getTask(tasks[0]!.guid);
      const vm = await h.client.getVirtualMachine(restored.dstProtectedEntity!.guid);
      expect(vm).toMatchObject({
        name: 'acme-web-01-copy',
        flavor: { name: 'm1.large' },
        availabilityZone: { name: 'az-2' },
        project: { guid: acme.guid },
      });
      expect(
        h.sim.state
          .vms()
          .find((v) => v.guid === vm.guid)!
          .nics.map((n) => n.networkGuid),
      ).toEqual([shared.guid]);
    });

    it('when an inventory sync is created, then a new instance becomes visible once it finished', async () => {
      const before = await h.client.listVirtualMachines({ projectUuid: ACME, uuid: acmeNew.uuid });

      const { tasks } = await h.client.createInventorySyncTask(h.sim.state.hypervisorManagerGuid());
      h.clock.advance(1_000);
      const after = await h.client.listVirtualMachines({ projectUuid: ACME, uuid: acmeNew.uuid });

      expect(before.items).toEqual([]);
      expect(tasks[0]).toMatchObject({ type: 'INVENTORY_SYNC' });
      expect(after.items).toEqual([expect.objectContaining({ name: acmeNew.name, uuid: acmeNew.uuid })]);
    });

    it('when a running task is cancelled, then it ends CANCELLED; cancelling it again is a permanent 400 with Storware’s message', async () => {
      const [task] = (
        await h.client.createExportTask({ vmGuids: [vmGuid(h.sim, acmeDb.uuid)], backupType: 'FULL' })
      ).tasks;

      await h.client.cancelTask(task!.guid);
      const cancelled = await h.client.getTask(task!.guid);
      const error = await caught(h.client.cancelTask(task!.guid));

      expect(cancelled).toMatchObject({ state: 'CANCELLED', statusInfo: 'Canceled by user' });
      expect(h.sim.server.calls({ method: 'PUT' })[0]!.body).toEqual({
        state: { name: 'CANCELLED' },
        statusInfo: 'Canceled by user',
      });
      expect(error).toMatchObject({ status: 400, retryable: false, operation: 'cancelTask' });
      expect(error.remoteMessage).toMatch(/already ended \(CANCELLED\)/);
    });

    it.each(['array', 'bulk'] as const)(
      'when Storware answers the export as %s, then the same task comes back',
      async (shape) => {
        h.sim.setTaskAnswerShape(shape);
        const guid = vmGuid(h.sim, acmeWeb.uuid);

        const { tasks } = await h.client.createExportTask({ vmGuids: [guid], backupType: 'FULL' });

        expect(tasks).toEqual([
          expect.objectContaining({ type: 'EXPORT', protectedEntity: { guid, name: acmeWeb.name } }),
        ]);
      },
    );

    it('when Storware answers the export without a body, then the task is found by listing (docs/storware-api.md §9)', async () => {
      h.sim.setTaskAnswerShape('empty');
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const other = vmGuid(h.sim, acmeDb.uuid);
      await h.client.createExportTask({ vmGuids: [other], backupType: 'FULL' });
      h.clock.advance(10);

      const { tasks } = await h.client.createExportTask({ vmGuids: [guid], backupType: 'FULL' });

      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.guid).toBe(h.sim.state.tasks().find((t) => t.vmGuid === guid)!.guid);
      expect(h.sim.server.calls({ path: '/api/tasks' }).at(-1)!.query).toMatchObject({
        type: 'EXPORT',
        'protected-entity': guid,
      });
    });

    it('when a bulk answer refuses every VM, then a permanent UpstreamError names them', async () => {
      h.sim.setTaskAnswerShape('bulk');
      const error = await caught(
        h.client.createExportTask({ vmGuids: ['00000000-0000-4000-8000-00000000dead'], backupType: 'FULL' }),
      );
      expect(error).toMatchObject({ retryable: false, operation: 'createExportTask' });
      expect(error.remoteMessage).toContain('00000000-0000-4000-8000-00000000dead');
    });

    it('when an export request is invalid, then ValidationError is thrown and nothing is sent', async () => {
      await expect(h.client.createExportTask({ vmGuids: [], backupType: 'FULL' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(
        h.client.createExportTask({ vmGuids: ['x'], backupType: 'FULL', priority: 101 }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        h.client.createExportTask({ vmGuids: ['x'], backupType: 'FULL', windowStart: 10, windowEnd: 5 }),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(h.sim.server.calls()).toHaveLength(0);
    });

    it('when a window is given, then windowStart/windowEnd travel as epoch ms and a future start keeps the task QUEUED', async () => {
      const start = h.clock.now() + 3_600_000;
      const [task] = (
        await h.client.createExportTask({
          vmGuids: [vmGuid(h.sim, acmeWeb.uuid)],
          backupType: 'FULL',
          windowStart: start,
          windowEnd: start + 600_000,
        })
      ).tasks;
      expect(task).toMatchObject({
        state: 'QUEUED',
        windowStart: start,
        windowEnd: start + 600_000,
        progress: 0,
      });
    });
  });

  describe('enumerations in both spellings (docs/storware-api.md §3)', () => {
    it('when Storware answers enums as bare strings, then the client reads exactly what it reads from objects', async () => {
      const guid = vmGuid(h.sim, acmeWeb.uuid);
      const [task] = (await h.client.createExportTask({ vmGuids: [guid], backupType: 'FULL' })).tasks;
      const read = async () => ({
        task: await h.client.getTask(task!.guid),
        vm: await h.client.getVirtualMachine(guid),
        backups: await h.client.listBackups(guid),
        managers: await h.client.listHypervisorManagers(),
        info: await h.client.login(),
      });

      const asObjects = await read();
      h.sim.setEnumStyle('string');
      const asStrings = await read();

      expect(h.sim.server.calls({ path: `/api/tasks/${task!.guid}` }).length).toBe(2);
      expect(asStrings).toEqual(asObjects);
      expect(asStrings.task).toMatchObject({ type: 'EXPORT', state: 'RUNNING', backupType: 'FULL' });
    });
  });

  describe('failures become UpstreamError (src/errors.ts)', () => {
    it('when Storware answers 5xx, then the error is retryable with Storware’s message', async () => {
      h.sim.server.addFault({ path: '^/api/tasks$', status: 503, body: { message: 'Node is restarting' } });
      const error = await caught(h.client.listTasks());
      expect(error).toMatchObject({
        system: 'storware',
        status: 503,
        retryable: true,
        remoteMessage: 'Node is restarting',
        code: 'storware_unavailable',
      });
    });

    it('when Storware answers 429 with Retry-After, then the error is retryable and carries the delay', async () => {
      h.sim.server.addFault({ path: '^/api/tasks$', status: 429, headers: { 'Retry-After': '7' } });
      const error = await caught(h.client.listTasks());
      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 7 });
    });

    it('when Storware answers 400, then the error is permanent and keeps `error.message` over `message`', async () => {
      h.sim.server.addFault({
        path: '^/api/tasks/export$',
        status: 400,
        body: { message: 'Bad Request', error: { message: 'VM acme-web-01 has no backup policy rules' } },
      });
      const error = await caught(
        h.client.createExportTask({ vmGuids: [vmGuid(h.sim, acmeWeb.uuid)], backupType: 'FULL' }),
      );
      expect(error).toMatchObject({
        status: 400,
        retryable: false,
        code: 'storware_rejected',
        remoteMessage: 'VM acme-web-01 has no backup policy rules',
      });
      expect(error.message).toContain('VM acme-web-01 has no backup policy rules');
    });

    it('when Storware does not answer in time, then the call times out quickly and retryably', async () => {
      const client = h.newClient({ timeoutMs: 150 });
      await client.login();
      h.sim.server.addFault({ path: '^/api/tasks$', hang: true });

      const started = Date.now();
      const error = await caught(client.listTasks());

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toMatchObject({ retryable: true, status: undefined, operation: 'listTasks' });
      expect(error.message).toContain('no answer within 150 ms');
    });

    it('when nothing listens, then the network error is retryable', async () => {
      const client = createStorwareClient({
        baseUrl: 'http://127.0.0.1:1/api',
        user: 'u',
        password: 'p',
        timeoutMs: 1_000,
        logger: silentLogger(),
      });
      const error = await caught(client.listTasks());
      expect(error).toMatchObject({ retryable: true, operation: 'login' });
      expect(error.message).toContain('ECONNREFUSED');
      await client.close();
    });

    it('when a 2xx answer is not JSON of the documented shape, then the error is retryable', async () => {
      h.sim.server.addFault({ path: '^/api/tasks$', html: true });
      const error = await caught(h.client.listTasks());
      expect(error).toMatchObject({ retryable: true });
      expect(error.message).toContain('expected a JSON array');
    });
  });

  describe('only the configured Storware is ever called', () => {
    let other: Server;
    let otherHits: number;

    beforeEach(async () => {
      otherHits = 0;
      other = createServer((_req, res) => {
        otherHits += 1;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('[]');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    });

    it('when a guid looks like an absolute URL or a path, then it stays one encoded segment on the Storware host', async () => {
      const port = (other.address() as AddressInfo).port;
      const evil = `http://127.0.0.1:${port}/steal`;

      const error = await caught(h.client.getVirtualMachine(evil));
      await caught(h.client.getTask('../session/logout'));

      expect(error.status).toBe(404);
      expect(otherHits).toBe(0);
      const paths = h.sim.server.calls({ method: 'GET' }).map((c) => c.path);
      expect(paths).toContain(`/api/virtual-machines/${encodeURIComponent(evil)}`);
      expect(paths).toContain('/api/tasks/..%2Fsession%2Flogout');
      expect(h.sim.server.calls({ path: '/api/session/logout' })).toHaveLength(0);
    });

    it('when Storware answers a redirect elsewhere, then it is not followed', async () => {
      const port = (other.address() as AddressInfo).port;
      h.sim.server.addFault({
        path: '^/api/tasks$',
        status: 302,
        headers: { Location: `http://127.0.0.1:${port}/api/tasks` },
      });

      const error = await caught(h.client.listTasks());

      expect(error).toMatchObject({ status: 302, retryable: false });
      expect(otherHits).toBe(0);
    });

    it('when the base URL carries credentials, a query or a non-http scheme, then the client refuses it', () => {
      const make = (baseUrl: string) => () =>
        createStorwareClient({ baseUrl, user: 'u', password: 'p', timeoutMs: 1_000, logger: silentLogger() });
      expect(make('https://user:secret@storware.example/api')).toThrow(TypeError);
      expect(make('https://storware.example/api?x=1')).toThrow(TypeError);
      expect(make('file:///etc/passwd')).toThrow(TypeError);
      expect(make('not a url')).toThrow(TypeError);
    });
  });

  describe('secrets stay out of errors and logs', () => {
    it('when calls fail in every way, then neither the password nor the session cookie appears in the error or the log', async () => {
      const capture = captureLogger('trace');
      const client = h.newClient({ logger: capture.logger, timeoutMs: 150 });
      const errors: unknown[] = [];
      const collect = async (p: Promise<unknown>) => {
        try {
          await p;
        } catch (error) {
          errors.push(error);
        }
      };

      await client.listTasks();
      h.sim.server.addFault({ path: '^/api/tasks$', status: 500, times: 1 });
      await collect(client.listTasks());
      h.sim.server.addFault({ path: '^/api/tasks$', status: 401, times: 2 });
      await collect(client.listTasks());
      h.sim.server.addFault({ path: '^/api/tasks$', hang: true, times: 1 });
      await collect(client.listTasks());
      await collect(client.getTask('missing'));
      // A server that echoes the password back in its error message.
      h.sim.server.addFault({
        path: '^/api/session/login$',
        status: 401,
        body: { message: `bad password ${STORWARE_PASSWORD}` },
      });
      await collect(client.login());

      const tokens = sentSessionTokens(h.sim);
      expect(tokens.length).toBeGreaterThan(0);
      expect(errors).toHaveLength(5);
      for (const error of errors) {
        const views = [
          JSON.stringify(error),
          inspect(error, { depth: Infinity, showHidden: true }),
          String((error as Error).stack),
        ];
        for (const view of views) {
          expect(view).not.toContain(STORWARE_PASSWORD);
          for (const token of tokens) {
            expect(view).not.toContain(token);
          }
        }
      }
      expect((errors.at(-1) as UpstreamError).remoteMessage).toBe('bad password [redacted]');
      const log = capture.text();
      expect(log).toContain('"route":"/tasks"');
      expect(log).not.toContain(STORWARE_PASSWORD);
      for (const token of tokens) {
        expect(log).not.toContain(token);
      }
    });

    it('when a call is logged, then the line has method, route template, status and duration', async () => {
      const capture = captureLogger('debug');
      const client = h.newClient({ logger: capture.logger });
      const guid = vmGuid(h.sim, acmeWeb.uuid);

      await client.getVirtualMachine(guid);

      const line = capture
        .lines()
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.op === 'getVirtualMachine');
      expect(line).toMatchObject({
        method: 'GET',
        route: '/virtual-machines/{guid}',
        status: 200,
        system: 'storware',
      });
      expect(typeof line!.durationMs).toBe('number');
      expect(JSON.stringify(line)).not.toContain(guid);
    });
  });

  it('when the client is closed, then it logs out', async () => {
    const client = h.newClient();
    await client.listTasks();
    await client.close();
    expect(h.sim.server.calls({ path: '/api/session/logout' })).toHaveLength(1);
  });

  it('exposes a terminal-state helper matching the documented states (docs/storware-api.md §6)', () => {
    const states: StorwareTask['state'][] = [
      'QUEUED',
      'RUNNING',
      'FINISHED',
      'FAILED',
      'CANCELLED',
      'UNKNOWN',
    ];
    expect(states.filter(isTerminalTaskState)).toEqual(['FINISHED', 'FAILED', 'CANCELLED']);
  });
});
