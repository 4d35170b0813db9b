/**
 * The simulated installation and what happens in it, independent of HTTP. Behaviour follows
 * docs/storware-api.md; where that page is silent the choice is marked [I] and kept conservative:
 *
 * - a backup is EXPORT then STORE: the export creates the backup record at once (IN_PROGRESS [I]),
 *   the server adds the STORE task when the export succeeds, and the backup becomes SUCCESS with
 *   its size when STORE finishes (docs/storware-api.md §6);
 * - INCREMENTAL without an incremental schedule on the VM's policy, or without an earlier full
 *   backup, is taken as FULL (docs/storware-api.md §7 Export);
 * - restore-and-import is RESTORE then IMPORT (docs/storware-api.md §6); IMPORT creates the
 *   instance, or replaces same-name instances of the project with `overwrite`
 *   (docs/storware-api.md §7). Without `overwrite` a name already taken in the project fails the
 *   IMPORT [I];
 * - an instance created in OpenStack appears after an INVENTORY_SYNC of its manager, or after the
 *   periodic sync delay [I];
 * - one policy per VM (docs/storware-api.md §5): the VM's `vmBackupPolicy` and the policy's `vms`
 *   are one relation.
 */
import { buildFixtureWorld, mac, newVm } from './fixtures';
import {
  SimRefusal,
  type SimBackup,
  type SimCluster,
  type SimFlavor,
  type SimHypervisorManager,
  type SimNetwork,
  type SimPendingInstance,
  type SimPolicy,
  type SimProject,
  type SimRestorePlan,
  type SimSecurityGroup,
  type SimTask,
  type SimTaskType,
  type SimVm,
  type TaskDurations,
} from './model';
import { createSeededRandom, type SeededRandom } from './random';
import { TaskEngine } from './task-engine';

export interface WorldOptions {
  readonly seed: number;
  readonly now: () => number;
  readonly taskDurationMs: TaskDurations;
  readonly inventorySyncDelayMs: number;
  readonly maxRunningTasks: number;
  /** windowEnd when a request gives none (the server picks one, docs/storware-api.md §6 [I]). */
  readonly defaultWindowMs: number;
}

export interface ExportRequest {
  readonly vmGuids: readonly string[];
  readonly backupType: 'FULL' | 'INCREMENTAL';
  readonly priority: number;
  readonly windowStart?: number;
  readonly windowEnd?: number;
  /** Refuse the whole request when one VM cannot be backed up (non-bulk answers). */
  readonly allOrNothing: boolean;
}

export interface RestoreRequest {
  readonly backupGuid?: string;
  readonly backupLocationGuid?: string;
  readonly hypervisorManagerGuid?: string;
  readonly restoredName?: string;
  /** Storware project guid or Keystone id. */
  readonly project?: string;
  readonly clusterUuid?: string;
  readonly flavorGuid?: string;
  readonly overwrite: boolean;
  readonly powerOnAfterRestore: boolean;
  readonly networks?: readonly { readonly nicGuid?: string; readonly networkGuid: string }[];
  readonly priority: number;
}

export interface Unsuccessful {
  readonly guid: string;
  readonly name?: string;
  readonly reason: string;
}

const NAME_TAKEN = (name: string, project: string) =>
  `An instance named ${name} already exists in project ${project}; restore under another name or overwrite it`;

/** Keystone ids appear with and without dashes (config.ts accepts both). */
export function sameProjectId(a: string, b: string): boolean {
  const norm = (s: string) => s.replaceAll('-', '').toLowerCase();
  return norm(a) === norm(b);
}

/** One simulated installation: inventory, backups, policies and the task engine. */
export class StorwareWorld {
  readonly rand: SeededRandom;
  readonly now: () => number;
  readonly engine: TaskEngine;
  readonly projects: readonly SimProject[];
  readonly hypervisorManager: SimHypervisorManager;
  readonly clusters: readonly SimCluster[];
  readonly flavors: readonly SimFlavor[];
  readonly networks: readonly SimNetwork[];
  readonly securityGroups: readonly SimSecurityGroup[];
  readonly destination: { readonly guid: string; readonly name: string };
  private readonly vmMap = new Map<string, SimVm>();
  private readonly pendingMap = new Map<string, SimPendingInstance>();
  private readonly backupMap = new Map<string, SimBackup>();
  private readonly policyMap = new Map<string, SimPolicy>();
  private readonly plannedFailures = new Map<SimTaskType, string[]>();
  private durations: TaskDurations;
  private seq = 0;

  constructor(private readonly options: WorldOptions) {
    this.rand = createSeededRandom(options.seed);
    this.now = options.now;
    this.durations = options.taskDurationMs;
    const start = options.now();
    const world = buildFixtureWorld(this.rand, start, options.inventorySyncDelayMs);
    this.projects = world.projects;
    this.hypervisorManager = world.hypervisorManager;
    this.clusters = world.clusters;
    this.flavors = world.flavors;
    this.networks = world.networks;
    this.securityGroups = world.securityGroups;
    this.destination = world.destination;
    world.vms.forEach((vm) => this.vmMap.set(vm.guid, vm));
    world.backups.forEach((b) => this.backupMap.set(b.guid, b));
    world.policies.forEach((p) => this.policyMap.set(p.guid, p));
    this.engine = new TaskEngine(
      {
        veto: (task, at) => this.veto(task, at),
        onFinished: (task, at) => this.onFinished(task, at),
        onEnded: (task) => this.onEnded(task),
      },
      options.maxRunningTasks,
      start,
    );
    world.pending.forEach((p) => this.addPending(p));
  }

  /** Brings everything up to the clock's now. */
  advance(): void {
    this.engine.advance(this.now());
  }

  // -- lookups ---------------------------------------------------------------------------------

  projectByGuid(guid: string): SimProject | undefined {
    return this.projects.find((p) => p.guid === guid);
  }

  /** A project by Storware guid or Keystone id. */
  projectByRef(ref: string): SimProject | undefined {
    return this.projects.find((p) => p.guid === ref || sameProjectId(p.uuid, ref));
  }

  vm(guid: string): SimVm | undefined {
    return this.vmMap.get(guid);
  }

  vms(): SimVm[] {
    return [...this.vmMap.values()];
  }

  pendingInstances(): SimPendingInstance[] {
    return [...this.pendingMap.values()];
  }

  backup(guid: string): SimBackup | undefined {
    return this.backupMap.get(guid);
  }

  backups(): SimBackup[] {
    return [...this.backupMap.values()];
  }

  backupByLocation(locationGuid: string): SimBackup | undefined {
    return this.backups().find((b) => b.location.guid === locationGuid);
  }

  policy(guid: string): SimPolicy | undefined {
    return this.policyMap.get(guid);
  }

  policies(): SimPolicy[] {
    return [...this.policyMap.values()];
  }

  policyVms(policyGuid: string): SimVm[] {
    return this.vms().filter((vm) => vm.policyGuid === policyGuid);
  }

  task(guid: string): SimTask | undefined {
    return this.engine.get(guid);
  }

  tasks(): SimTask[] {
    return this.engine.all();
  }

  flavor(guid: string): SimFlavor | undefined {
    return this.flavors.find((f) => f.guid === guid);
  }

  cluster(guid: string): SimCluster | undefined {
    return this.clusters.find((c) => c.guid === guid);
  }

  network(guid: string): SimNetwork | undefined {
    return this.networks.find((n) => n.guid === guid);
  }

  /** Networks a project may attach to: its own and the shared ones. */
  networksFor(projectGuid: string | undefined): SimNetwork[] {
    return this.networks.filter(
      (n) => n.projectGuid === undefined || projectGuid === undefined || n.projectGuid === projectGuid,
    );
  }

  // -- policies --------------------------------------------------------------------------------

  setVmPolicy(vmGuid: string, policyGuid: string | undefined): SimVm {
    const vm = this.requireVm(vmGuid);
    if (policyGuid !== undefined && !this.policyMap.has(policyGuid)) {
      throw new SimRefusal(400, `Policy ${policyGuid} does not exist`);
    }
    vm.policyGuid = policyGuid;
    return vm;
  }

  /** Makes `vmGuids` the policy's members: others leave it, listed ones move to it. */
  setPolicyVms(policyGuid: string, vmGuids: readonly string[]): SimPolicy {
    const policy = this.policyMap.get(policyGuid);
    if (!policy) {
      throw new SimRefusal(404, `Policy ${policyGuid} not found`);
    }
    const members = vmGuids.map((g) => this.requireVm(g, 400));
    for (const vm of this.policyVms(policyGuid)) {
      vm.policyGuid = undefined;
    }
    for (const vm of members) {
      vm.policyGuid = policyGuid;
    }
    return policy;
  }

  // -- tasks -----------------------------------------------------------------------------------

  failNextTask(type: SimTaskType, statusInfo: string): void {
    const queue = this.plannedFailures.get(type) ?? [];
    queue.push(statusInfo);
    this.plannedFailures.set(type, queue);
  }

  setDurations(durations: Partial<Record<SimTaskType, number>>): void {
    this.durations = { ...this.durations, ...durations };
  }

  createExportTasks(request: ExportRequest): { tasks: SimTask[]; unsuccessful: Unsuccessful[] } {
    const now = this.now();
    const windowStart = request.windowStart ?? now;
    const windowEnd = request.windowEnd ?? windowStart + this.options.defaultWindowMs;
    if (windowEnd <= windowStart) {
      throw new SimRefusal(400, 'windowEnd must be after windowStart');
    }
    const unsuccessful: Unsuccessful[] = [];
    const accepted: SimVm[] = [];
    for (const guid of request.vmGuids) {
      const vm = this.vmMap.get(guid);
      if (!vm) {
        unsuccessful.push({ guid, reason: `Virtual machine ${guid} not found` });
      } else if (!vm.present) {
        unsuccessful.push({ guid, name: vm.name, reason: `Virtual machine ${vm.name} is not present` });
      } else {
        accepted.push(vm);
      }
    }
    if (request.allOrNothing && unsuccessful.length > 0) {
      throw new SimRefusal(400, unsuccessful.map((u) => u.reason).join('; '));
    }
    const tasks = accepted.map((vm) => {
      const backupType = this.effectiveBackupType(vm, request.backupType);
      const backup: SimBackup = {
        guid: this.rand.guid(),
        vmGuid: vm.guid,
        vmName: vm.name,
        projectGuid: vm.projectGuid,
        type: backupType,
        status: 'IN_PROGRESS',
        origin: 'USER',
        policyGuid: vm.policyGuid,
        nics: vm.nics,
        location: {
          guid: this.rand.guid(),
          destination: this.destination,
          roleType: 'PRIMARY',
          status: 'IN_PROGRESS',
        },
      };
      this.backupMap.set(backup.guid, backup);
      return this.enqueue({
        type: 'EXPORT',
        priority: request.priority,
        windowStart,
        windowEnd,
        vmGuid: vm.guid,
        hypervisorManagerGuid: vm.hypervisorManagerGuid,
        backupGuid: backup.guid,
        backupType,
      });
    });
    this.engine.advance(now);
    return { tasks, unsuccessful };
  }

  createRestoreTask(request: RestoreRequest): SimTask {
    const now = this.now();
    const backup = this.resolveBackup(request);
    if (backup.status !== 'SUCCESS') {
      throw new SimRefusal(400, `Backup ${backup.guid} cannot be restored (status ${backup.status})`);
    }
    if (
      request.hypervisorManagerGuid !== undefined &&
      request.hypervisorManagerGuid !== this.hypervisorManager.guid
    ) {
      throw new SimRefusal(400, `Hypervisor manager ${request.hypervisorManagerGuid} not found`);
    }
    const source = this.requireVm(backup.vmGuid, 400);
    const project =
      request.project === undefined
        ? this.projectByGuid(backup.projectGuid)
        : this.projectByRef(request.project);
    if (!project) {
      throw new SimRefusal(400, `Project ${request.project ?? backup.projectGuid} not found`);
    }
    const cluster =
      request.clusterUuid === undefined
        ? this.cluster(source.clusterGuid)
        : this.clusters.find((c) => c.uuid === request.clusterUuid);
    if (!cluster) {
      throw new SimRefusal(400, `Availability zone ${request.clusterUuid ?? ''} not found`);
    }
    if (request.flavorGuid !== undefined && !this.flavor(request.flavorGuid)) {
      throw new SimRefusal(400, `Flavor ${request.flavorGuid} not found`);
    }
    const usable = this.networksFor(project.guid);
    const networks = (
      request.networks ?? backup.nics.map((n) => ({ nicGuid: n.guid, networkGuid: n.networkGuid }))
    ).map((n, index) => {
      if (!usable.some((u) => u.guid === n.networkGuid)) {
        throw new SimRefusal(400, `Network ${n.networkGuid} is not available in project ${project.name}`);
      }
      return { nicGuid: n.nicGuid ?? backup.nics[index]?.guid ?? `nic-${index}`, networkGuid: n.networkGuid };
    });
    const plan: SimRestorePlan = {
      backupGuid: backup.guid,
      restoredName: request.restoredName ?? backup.vmName,
      projectGuid: project.guid,
      overwrite: request.overwrite,
      clusterGuid: cluster.guid,
      flavorGuid: request.flavorGuid ?? source.flavorGuid,
      networks,
      powerOnAfterRestore: request.powerOnAfterRestore,
    };
    const task = this.enqueue({
      type: 'RESTORE',
      priority: request.priority,
      windowStart: now,
      windowEnd: now + this.options.defaultWindowMs,
      vmGuid: source.guid,
      hypervisorManagerGuid: this.hypervisorManager.guid,
      backupGuid: backup.guid,
      restore: plan,
    });
    this.engine.advance(now);
    return task;
  }

  createInventorySyncTasks(hypervisorManagerGuids: readonly string[]): SimTask[] {
    const now = this.now();
    for (const guid of hypervisorManagerGuids) {
      if (guid !== this.hypervisorManager.guid) {
        throw new SimRefusal(400, `Hypervisor manager ${guid} not found`);
      }
    }
    const tasks = hypervisorManagerGuids.map((guid) =>
      this.enqueue({
        type: 'INVENTORY_SYNC',
        priority: 90,
        windowStart: now,
        windowEnd: now + this.options.defaultWindowMs,
        hypervisorManagerGuid: guid,
      }),
    );
    this.engine.advance(now);
    return tasks;
  }

  /** docs/storware-api.md §5: `PUT /tasks/{guid}/state` with CANCELLED. */
  cancelTask(guid: string, statusInfo: string): SimTask {
    const task = this.engine.get(guid);
    if (!task) {
      throw new SimRefusal(404, `Task ${guid} not found`);
    }
    if (!this.engine.cancel(task, this.now(), statusInfo)) {
      throw new SimRefusal(400, `Task ${guid} has already ended (${task.state})`);
    }
    return task;
  }

  // -- inventory -------------------------------------------------------------------------------

  /** An instance appears in OpenStack; Storware sees it after a sync. */
  provisionInstance(spec: { uuid?: string; name: string; projectUuid: string }): SimPendingInstance {
    const project = this.projectByRef(spec.projectUuid);
    if (!project) {
      throw new SimRefusal(400, `Project ${spec.projectUuid} not found`);
    }
    const now = this.now();
    const pending: SimPendingInstance = {
      uuid: spec.uuid ?? this.rand.guid(),
      name: spec.name,
      projectGuid: project.guid,
      hypervisorManagerGuid: this.hypervisorManager.guid,
      provisionedAt: now,
      visibleAt: now + this.options.inventorySyncDelayMs,
    };
    this.addPending(pending);
    return pending;
  }

  // -- internals -------------------------------------------------------------------------------

  private addPending(pending: SimPendingInstance): void {
    this.pendingMap.set(pending.uuid, pending);
    this.engine.schedule(pending.visibleAt, () => this.makeVisible(pending.uuid));
  }

  private makeVisible(uuid: string): void {
    const pending = this.pendingMap.get(uuid);
    const project = pending && this.projectByGuid(pending.projectGuid);
    if (!pending || !project) {
      return;
    }
    this.pendingMap.delete(uuid);
    const vm = newVm(this.rand, {
      uuid,
      name: pending.name,
      project,
      hypervisorManager: this.hypervisorManager,
      cluster: this.clusters[0]!,
      flavor: this.flavors[0]!,
      networks: this.networks,
      securityGroups: this.securityGroups,
    });
    this.vmMap.set(vm.guid, vm);
  }

  private requireVm(guid: string, status = 404): SimVm {
    const vm = this.vmMap.get(guid);
    if (!vm) {
      throw new SimRefusal(status, `Virtual machine ${guid} not found`);
    }
    return vm;
  }

  private resolveBackup(request: RestoreRequest): SimBackup {
    const byLocation =
      request.backupLocationGuid === undefined
        ? undefined
        : this.backupByLocation(request.backupLocationGuid);
    if (request.backupLocationGuid !== undefined && !byLocation && request.backupGuid === undefined) {
      throw new SimRefusal(400, `Backup location ${request.backupLocationGuid} not found`);
    }
    const backup =
      byLocation ?? (request.backupGuid === undefined ? undefined : this.backupMap.get(request.backupGuid));
    if (!backup) {
      throw new SimRefusal(
        400,
        request.backupGuid ? `Backup ${request.backupGuid} not found` : 'backup is required',
      );
    }
    return backup;
  }

  private effectiveBackupType(vm: SimVm, requested: 'FULL' | 'INCREMENTAL'): 'FULL' | 'INCREMENTAL' {
    if (requested === 'FULL') {
      return 'FULL';
    }
    const policy = vm.policyGuid === undefined ? undefined : this.policyMap.get(vm.policyGuid);
    const hasFull = this.backups().some(
      (b) => b.vmGuid === vm.guid && b.type === 'FULL' && b.status === 'SUCCESS',
    );
    return policy?.hasIncrementalSchedule === true && hasFull ? 'INCREMENTAL' : 'FULL';
  }

  private enqueue(
    spec: Omit<SimTask, 'guid' | 'state' | 'seq' | 'createdAt' | 'durationMs' | 'plannedFailure'>,
  ): SimTask {
    const planned = this.plannedFailures.get(spec.type)?.shift();
    const task: SimTask = {
      ...spec,
      guid: this.rand.guid(),
      state: 'QUEUED',
      seq: this.seq++,
      createdAt: this.now(),
      // At least 1 ms: a zero-length run would end at the instant it starts, which the event loop
      // never revisits.
      durationMs: Math.max(1, this.durations[spec.type]),
      ...(planned === undefined ? {} : { plannedFailure: planned }),
    };
    this.engine.add(task);
    return task;
  }

  private veto(task: SimTask, _at: number): string | undefined {
    if (task.type !== 'IMPORT' || !task.restore || task.restore.overwrite) {
      return undefined;
    }
    const { restoredName, projectGuid } = task.restore;
    const taken = this.vms().some(
      (vm) => vm.present && vm.projectGuid === projectGuid && vm.name === restoredName,
    );
    return taken ? NAME_TAKEN(restoredName, this.projectByGuid(projectGuid)?.name ?? projectGuid) : undefined;
  }

  private onFinished(task: SimTask, at: number): void {
    switch (task.type) {
      case 'EXPORT': {
        const backup = task.backupGuid === undefined ? undefined : this.backupMap.get(task.backupGuid);
        if (backup) {
          backup.snapshotTime = task.startTime ?? at;
        }
        this.enqueueFollowUp(task, 'STORE', at);
        return;
      }
      case 'STORE':
        this.completeBackup(task, at);
        return;
      case 'RESTORE':
        this.enqueueFollowUp(task, 'IMPORT', at);
        return;
      case 'IMPORT':
        this.importInstance(task);
        return;
      case 'INVENTORY_SYNC':
        for (const pending of this.pendingInstances()) {
          if (pending.hypervisorManagerGuid === task.hypervisorManagerGuid && pending.provisionedAt <= at) {
            this.makeVisible(pending.uuid);
          }
        }
        return;
    }
  }

  private onEnded(task: SimTask): void {
    if ((task.type === 'EXPORT' || task.type === 'STORE') && task.backupGuid !== undefined) {
      const backup = this.backupMap.get(task.backupGuid);
      if (backup && backup.status === 'IN_PROGRESS') {
        backup.status = 'FAILED';
        backup.statusInfo = task.statusInfo;
        backup.location.status = 'FAILED';
      }
    }
  }

  private enqueueFollowUp(parent: SimTask, type: SimTaskType, at: number): void {
    this.enqueue({
      type,
      priority: parent.priority,
      windowStart: at,
      windowEnd: at + this.options.defaultWindowMs,
      vmGuid: parent.vmGuid,
      hypervisorManagerGuid: parent.hypervisorManagerGuid,
      backupGuid: parent.backupGuid,
      backupType: parent.backupType,
      parentTaskGuid: parent.guid,
      restore: parent.restore,
    });
  }

  private completeBackup(task: SimTask, at: number): void {
    const backup = task.backupGuid === undefined ? undefined : this.backupMap.get(task.backupGuid);
    const vm = task.vmGuid === undefined ? undefined : this.vmMap.get(task.vmGuid);
    if (!backup || !vm) {
      return;
    }
    const gib = 1024 ** 3;
    backup.status = 'SUCCESS';
    backup.size =
      backup.type === 'FULL' ? this.rand.int(8, 40) * gib : this.rand.int(200, 2_000) * 1024 * 1024;
    backup.backupTime = at;
    backup.location.status = 'PRESENT';
    vm.lastBackup = at;
    vm.lastSuccessfulBackupSize = backup.size;
    if (backup.type === 'FULL') {
      vm.lastSuccessfulFullBackupGuid = backup.guid;
    } else {
      vm.lastSuccessfulIncBackupGuid = backup.guid;
    }
  }

  private importInstance(task: SimTask): void {
    const plan = task.restore;
    const backup = plan && this.backupMap.get(plan.backupGuid);
    const project = plan && this.projectByGuid(plan.projectGuid);
    const cluster = plan && this.cluster(plan.clusterGuid);
    const flavor = plan && this.flavor(plan.flavorGuid);
    if (!plan || !backup || !project || !cluster || !flavor) {
      return;
    }
    if (plan.overwrite) {
      for (const vm of this.vms()) {
        if (vm.present && vm.projectGuid === project.guid && vm.name === plan.restoredName) {
          // OpenStack gets a new server; the replaced one stays in Storware's inventory as not present.
          vm.present = false;
        }
      }
    }
    const nics = plan.networks.map((n, index) => ({
      guid: this.rand.guid(),
      uuid: this.rand.guid(),
      name: backup.nics.find((nic) => nic.guid === n.nicGuid)?.name ?? `eth${index}`,
      networkGuid: n.networkGuid,
      macAddress: mac(this.rand),
      securityGroupGuids: [],
    }));
    const vm = newVm(this.rand, {
      uuid: this.rand.guid(),
      name: plan.restoredName,
      project,
      hypervisorManager: this.hypervisorManager,
      cluster,
      flavor,
      networks: this.networks,
      securityGroups: this.securityGroups,
      nics,
    });
    this.vmMap.set(vm.guid, vm);
    task.dstVmGuid = vm.guid;
    const parent = task.parentTaskGuid === undefined ? undefined : this.engine.get(task.parentTaskGuid);
    if (parent) {
      parent.dstVmGuid = vm.guid;
    }
  }
}
