/**
 * Typed calls to the Storware Backup & Recovery REST API (storware-api.md; the wire contract is
 * spec/storware.openapi.yaml). One function per remote operation, each answering small domain
 * objects (types.ts). Session handling, classification of failures and secret hygiene live below
 * (session.ts, errors.ts, http.ts); retries beyond the one re-login belong to the job queue.
 */
import { UpstreamError, ValidationError } from '../../errors';
import type { Logger } from '../../logger';
import { httpFailure, type Scrub, unexpectedAnswer } from './errors';
import { createTransport, type StorwareRequest, type StorwareResponse } from './http';
import {
  isObject,
  requireArray,
  toAvailabilityZone,
  toBackup,
  toBackupLocation,
  toHypervisorManager,
  toNetwork,
  toFlavor,
  toPolicy,
  toProject,
  toRestoreSettings,
  toSessionInfo,
  toTask,
  toTaskBatch,
  toVm,
  totalCount,
} from './normalize';
import { StorwareSession } from './session';
import type {
  AvailabilityZone,
  BackupFilter,
  ExportTaskInput,
  HypervisorManager,
  OpenstackRestoreSettings,
  Page,
  PageRequest,
  RestoreAndImportTaskInput,
  RestoreSettingsQuery,
  SessionInfo,
  StorwareBackup,
  StorwareBackupLocation,
  StorwareNetwork,
  StorwarePolicy,
  StorwareProject,
  StorwareRef,
  StorwareTask,
  StorwareVm,
  TaskBatch,
  TaskFilter,
  VmFilter,
} from './types';
import type {
  BackupListQuery,
  BackupLocationListQuery,
  HypervisorManagerScopedQuery,
  NetworkListQuery,
  PolicyListQuery,
  RestoreSettingsQueryWire,
  TaskListQuery,
  VmListQuery,
  WireExportTaskRequest,
  WireInventorySyncTaskRequest,
  WireRestoreAndImportTaskRequest,
  WireTaskStateChangeRequest,
  WireVirtualMachine,
} from './wire';

export interface StorwareClientOptions {
  /** Up to and including `/api`, e.g. `https://storware.example.com:8181/api`. */
  readonly baseUrl: string;
  readonly user: string;
  readonly password: string;
  /** PEM text of a private CA, added to the system CAs. Verification is never turned off. */
  readonly ca?: string;
  /** Per HTTP exchange; a call that has to log in again makes up to three exchanges. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Not accepted: the client builds its own agent so TLS verification cannot be bypassed. */
  readonly httpsAgent?: never;
  /** Clock for default task windows; tests inject one. */
  readonly now?: () => number;
}

export interface ListAllOptions {
  /** Items per request; default 100. */
  readonly pageSize?: number;
}

export interface StorwareClient {
  login(): Promise<SessionInfo>;
  logout(): Promise<void>;
  checkSession(): Promise<boolean>;
  listVirtualMachines(filter: VmFilter & PageRequest): Promise<Page<StorwareVm>>;
  listAllVirtualMachines(filter: VmFilter, options?: ListAllOptions): Promise<StorwareVm[]>;
  getVirtualMachine(guid: string): Promise<StorwareVm>;
  assignVmBackupPolicy(vmGuid: string, policyGuid: string): Promise<StorwareVm>;
  listBackups(protectedEntityGuid: string, filter?: BackupFilter): Promise<StorwareBackup[]>;
  getBackup(guid: string): Promise<StorwareBackup>;
  listBackupLocations(
    protectedEntityGuid: string,
    filter?: { readonly status?: string },
  ): Promise<StorwareBackupLocation[]>;
  createExportTask(input: ExportTaskInput): Promise<TaskBatch>;
  createRestoreAndImportTask(input: RestoreAndImportTaskInput): Promise<TaskBatch>;
  createInventorySyncTask(hypervisorManagerGuid: string): Promise<TaskBatch>;
  listTasks(filter?: TaskFilter & PageRequest): Promise<Page<StorwareTask>>;
  listAllTasks(filter?: TaskFilter, options?: ListAllOptions): Promise<StorwareTask[]>;
  getTask(guid: string): Promise<StorwareTask>;
  cancelTask(guid: string, statusInfo?: string): Promise<void>;
  listVmBackupPolicies(filter?: { readonly projectUuid?: string }): Promise<StorwarePolicy[]>;
  getVmBackupPolicy(guid: string): Promise<StorwarePolicy>;
  listProjects(): Promise<StorwareProject[] | undefined>;
  listHypervisorManagers(): Promise<HypervisorManager[]>;
  listAvailabilityZones(hypervisorManagerGuid: string): Promise<AvailabilityZone[]>;
  listFlavors(hypervisorManagerGuid: string): Promise<StorwareRef[]>;
  listNetworks(
    hypervisorManagerGuid: string,
    filter?: { readonly projectUuid?: string },
  ): Promise<StorwareNetwork[]>;
  getOpenstackRestoreSettings(query: RestoreSettingsQuery): Promise<OpenstackRestoreSettings>;
  close(): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGES = 1_000;
/** How far back a task found by listing may have started and still be "the one just created". */
const CONFIRM_SKEW_MS = 60_000;

/**
 * Creates a Storware client. Nothing is sent until the first call, which logs in.
 *
 * @throws TypeError when `baseUrl` is not an http(s) URL without credentials, query or fragment.
 */
export function createStorwareClient(options: StorwareClientOptions): StorwareClient {
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ system: 'storware' });
  // Secrets are looked up at scrub time: the session cookie changes with every login.
  const scrub: Scrub = (text) => {
    let out = text;
    for (const secret of [options.password, ...live.secrets()]) {
      if (secret.length > 0) {
        out = out.split(secret).join('[redacted]');
      }
    }
    return out;
  };
  const transport = createTransport({
    baseUrl: options.baseUrl,
    ca: options.ca,
    timeoutMs: options.timeoutMs,
    logger,
    scrub,
  });
  const live = new StorwareSession(
    transport,
    { user: options.user, password: options.password },
    logger,
    scrub,
  );

  async function call(request: StorwareRequest): Promise<StorwareResponse> {
    const response = await live.send(request);
    if (response.status < 200 || response.status >= 300) {
      throw httpFailure(request.operation, response.status, response.headers, response.data, scrub);
    }
    return response;
  }

  async function getList<T>(
    request: StorwareRequest,
    map: (operation: string, value: unknown) => T,
  ): Promise<T[]> {
    const response = await call(request);
    return requireArray(request.operation, response.data).map((item) => map(request.operation, item));
  }

  async function getPage<T>(
    request: StorwareRequest,
    page: PageRequest,
    map: (operation: string, value: unknown) => T,
  ): Promise<Page<T>> {
    const response = await call(request);
    const items = requireArray(request.operation, response.data).map((item) => map(request.operation, item));
    const offset = (page.page ?? 0) * (page.size ?? 0);
    return { items, total: totalCount(response.headers) ?? offset + items.length };
  }

  /** Follows `page`/`size` until a short page or `X-Total-Count` says the list is complete. */
  async function collectPages<T extends { readonly guid: string }>(
    operation: string,
    fetch: (page: number, size: number) => Promise<Page<T>>,
    pageSize: number = DEFAULT_PAGE_SIZE,
  ): Promise<T[]> {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new ValidationError('pageSize must be a positive integer', [
        { path: 'pageSize', message: 'positive integer' },
      ]);
    }
    // Keyed by guid: a list that changes while it is paged can repeat an item across pages.
    const seen = new Map<string, T>();
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { items, total } = await fetch(page, pageSize);
      for (const item of items) {
        seen.set(item.guid, item);
      }
      // More than asked for means the server ignored paging and sent everything.
      if (items.length < pageSize || items.length > pageSize || (page + 1) * pageSize >= total) {
        return [...seen.values()];
      }
    }
    throw unexpectedAnswer(operation, `the list did not end after ${MAX_PAGES} pages`);
  }

  function vmQuery(filter: VmFilter & PageRequest): VmListQuery {
    requireText('projectUuid', filter.projectUuid);
    return {
      'project-uuid': filter.projectUuid,
      uuid: filter.uuid,
      'hypervisor-manager-type': filter.hypervisorManagerType,
      page: filter.page,
      size: filter.size,
      orderBy: filter.orderBy,
      direction: filter.direction,
    };
  }

  function taskQuery(filter: TaskFilter & PageRequest): TaskListQuery {
    return {
      'project-uuid': filter.projectUuid,
      'protected-entity': filter.protectedEntityGuid,
      type: filter.type,
      states: filter.states === undefined ? undefined : [...filter.states],
      'parent-task': filter.parentTaskGuid,
      backup: filter.backupGuid,
      'hypervisor-manager': filter.hypervisorManagerGuid,
      page: filter.page,
      size: filter.size,
      orderBy: filter.orderBy,
      direction: filter.direction,
    };
  }

  async function listTasks(filter: TaskFilter & PageRequest = {}): Promise<Page<StorwareTask>> {
    return getPage(
      { operation: 'listTasks', method: 'GET', route: '/tasks', query: taskQuery(filter) },
      filter,
      toTask,
    );
  }

  async function listAllTasks(filter: TaskFilter = {}, listOptions: ListAllOptions = {}) {
    return collectPages(
      'listTasks',
      (page, size) => listTasks({ ...filter, page, size }),
      listOptions.pageSize,
    );
  }

  async function listVirtualMachines(filter: VmFilter & PageRequest): Promise<Page<StorwareVm>> {
    return getPage(
      { operation: 'listVirtualMachines', method: 'GET', route: '/virtual-machines', query: vmQuery(filter) },
      filter,
      toVm,
    );
  }

  async function getVirtualMachine(guid: string): Promise<StorwareVm> {
    requireText('guid', guid);
    const response = await call({
      operation: 'getVirtualMachine',
      method: 'GET',
      route: '/virtual-machines/{guid}',
      pathParams: { guid },
    });
    return toVm('getVirtualMachine', response.data);
  }

  /**
   * Interprets a task-creating answer. When it names no task (the shape is undocumented,
   * storware-api.md §9), the tasks are looked up by listing, as the reference advises, so a caller
   * always learns the guid it must record before moving on.
   */
  async function settleCreated(
    operation: string,
    response: StorwareResponse,
    lookup: { filter: TaskFilter; matches: (task: StorwareTask) => boolean } | undefined,
  ): Promise<TaskBatch> {
    const batch = toTaskBatch(operation, response.data);
    if (batch.tasks.length === 0 && batch.unsuccessful.length > 0) {
      const names = batch.unsuccessful.map((r) => r.name ?? r.guid).join(', ');
      throw new UpstreamError('storware', `Storware ${operation} refused: ${names}`, {
        status: response.status,
        retryable: false,
        remoteMessage: `Storware did not create a task for: ${names}`,
        operation,
      });
    }
    if (batch.tasks.length > 0 || lookup === undefined) {
      return batch;
    }
    const found = (await listAllTasks(lookup.filter)).filter(lookup.matches);
    if (found.length === 0) {
      throw unexpectedAnswer(operation, 'the answer named no task and none could be found by listing');
    }
    logger.debug({ op: operation, tasks: found.map((t) => t.guid) }, 'storware task found by listing');
    return { tasks: found, unsuccessful: [] };
  }

  async function logout(): Promise<void> {
    if (!live.loggedIn) {
      return;
    }
    try {
      const response = await live.sendAsIs({ operation: 'logout', method: 'POST', route: '/session/logout' });
      if (response.status !== 401 && (response.status < 200 || response.status >= 300)) {
        throw httpFailure('logout', response.status, response.headers, response.data, scrub);
      }
    } finally {
      live.forget();
    }
  }

  function recentOrActive(since: number): (task: StorwareTask) => boolean {
    return (task) =>
      task.state === 'QUEUED' ||
      task.state === 'RUNNING' ||
      (task.startTime ?? task.windowStart ?? 0) >= since - CONFIRM_SKEW_MS;
  }

  return {
    /**
     * Opens a session now (other calls do it lazily) and answers who Storware thinks we are.
     *
     * @throws UpstreamError retryable when the credentials are refused (an operator must fix them).
     */
    async login() {
      const response = await live.login();
      return toSessionInfo(response.data);
    },

    /** Ends the session, if there is one. A session that already expired counts as ended. */
    logout,

    /**
     * True while the current session is valid (`GET /session` → 204). Never logs in: answers
     * false when there is no session or Storware refused it.
     */
    async checkSession() {
      if (!live.loggedIn) {
        return false;
      }
      const response = await live.sendAsIs({ operation: 'checkSession', method: 'GET', route: '/session' });
      if (response.status === 401) {
        live.forget();
        return false;
      }
      if (response.status < 200 || response.status >= 300) {
        throw httpFailure('checkSession', response.status, response.headers, response.data, scrub);
      }
      return true;
    },

    /**
     * One page of a project's instances (`GET /virtual-machines?project-uuid=…`). With `uuid`
     * (a Nova id) the answer is the instance if, and only if, Storware has it in that project.
     */
    listVirtualMachines,

    /** Every instance of a project matching the filter, following the pages. */
    async listAllVirtualMachines(filter, listOptions = {}) {
      return collectPages(
        'listVirtualMachines',
        (page, size) => listVirtualMachines({ ...filter, page, size }),
        listOptions.pageSize,
      );
    },

    /** One instance by Storware guid. 404 is a permanent UpstreamError. */
    getVirtualMachine,

    /**
     * Puts one instance under a VM backup policy: reads the VM and saves its settings with
     * `vmBackupPolicy` set (`PUT /virtual-machines/{guid}/settings` takes the whole VM,
     * storware-api.md §5). Preferred over editing the policy's `vms`, which would race with every
     * other assignment to the same policy. Answers the instance as saved.
     */
    async assignVmBackupPolicy(vmGuid, policyGuid) {
      requireText('vmGuid', vmGuid);
      requireText('policyGuid', policyGuid);
      const current = await call({
        operation: 'getVirtualMachine',
        method: 'GET',
        route: '/virtual-machines/{guid}',
        pathParams: { guid: vmGuid },
      });
      if (!isObject(current.data) || current.data.guid !== vmGuid) {
        throw unexpectedAnswer('getVirtualMachine', 'the answer is not the requested instance');
      }
      const body: WireVirtualMachine = {
        ...(current.data as WireVirtualMachine),
        vmBackupPolicy: { guid: policyGuid },
      };
      const saved = await call({
        operation: 'assignVmBackupPolicy',
        method: 'PUT',
        route: '/virtual-machines/{guid}/settings',
        pathParams: { guid: vmGuid },
        body,
      });
      return isObject(saved.data) && typeof saved.data.guid === 'string'
        ? toVm('assignVmBackupPolicy', saved.data)
        : getVirtualMachine(vmGuid);
    },

    /** An instance's backups (`GET /backups?protected-entity=…`), newest snapshot first. */
    async listBackups(protectedEntityGuid, filter = {}) {
      requireText('protectedEntityGuid', protectedEntityGuid);
      const query: BackupListQuery = {
        'protected-entity': protectedEntityGuid,
        status: filter.statuses === undefined ? undefined : [...filter.statuses],
        from: filter.from,
        to: filter.to,
        'project-uuid': filter.projectUuid,
      };
      const backups = await getList(
        { operation: 'listBackups', method: 'GET', route: '/backups', query },
        toBackup,
      );
      return backups.sort(
        (a, b) => (b.snapshotTime ?? b.backupTime ?? 0) - (a.snapshotTime ?? a.backupTime ?? 0),
      );
    },

    /** One backup with its network interface cards (needed to map networks on restore). */
    async getBackup(guid) {
      requireText('guid', guid);
      const response = await call({
        operation: 'getBackup',
        method: 'GET',
        route: '/backups/{guid}',
        pathParams: { guid },
      });
      return toBackup('getBackup', response.data);
    },

    /** Where an instance's backups are stored; `status: 'PRESENT'` gives restore sources. */
    async listBackupLocations(protectedEntityGuid, filter = {}) {
      requireText('protectedEntityGuid', protectedEntityGuid);
      const query: BackupLocationListQuery = {
        'protected-entity': protectedEntityGuid,
        'location-status': filter.status,
      };
      return getList(
        { operation: 'listBackupLocations', method: 'GET', route: '/backup-locations', query },
        toBackupLocation,
      );
    },

    /**
     * Starts an on-demand backup (`POST /tasks/export`): one EXPORT task per VM; Storware adds a
     * STORE task when an export succeeds (storware-api.md §6, §7). `windowStart` defaults to now.
     *
     * @throws ValidationError on an empty VM list, a priority outside 0–100 or an inverted window.
     * @throws UpstreamError permanent when Storware refuses every VM.
     */
    async createExportTask(input) {
      validateExport(input);
      const windowStart = input.windowStart ?? now();
      const body: WireExportTaskRequest = {
        backupType: { name: input.backupType },
        protectedEntities: input.vmGuids.map((guid) => ({ guid })),
        priority: input.priority ?? 50,
        windowStart,
        ...(input.windowEnd === undefined ? {} : { windowEnd: input.windowEnd }),
        ...(input.ruleGuids === undefined ? {} : { rules: input.ruleGuids.map((guid) => ({ guid })) }),
        ...(input.backupDestinationGuid === undefined
          ? {}
          : { backupDestination: { guid: input.backupDestinationGuid } }),
        retryCount: 0,
        protectedEntityType: 'VM',
        async: true,
      };
      const response = await call({
        operation: 'createExportTask',
        method: 'POST',
        route: '/tasks/export',
        body,
      });
      const vmGuids = new Set(input.vmGuids);
      if (input.vmGuids.length !== 1) {
        // Listing by protected entity works one VM at a time; several VMs are confirmed by type.
        return settleCreated('createExportTask', response, {
          filter: { type: 'EXPORT' },
          matches: (t) => t.windowStart === windowStart && vmGuids.has(t.protectedEntity?.guid ?? ''),
        });
      }
      return settleCreated('createExportTask', response, {
        filter: { type: 'EXPORT', protectedEntityGuid: input.vmGuids[0] },
        matches: (t) => t.windowStart === windowStart,
      });
    },

    /**
     * Starts a restore of a backup into an instance (`POST /tasks/restore-and-import`): RESTORE
     * runs, then IMPORT (storware-api.md §6, §7). The body follows the current UI: a backup
     * location when known, otherwise the backup guid as MAN sends it.
     */
    async createRestoreAndImportTask(input) {
      requireText('backupGuid', input.backupGuid);
      requireText('hypervisorManagerGuid', input.hypervisorManagerGuid);
      requireText('restoredName', input.restoredName);
      const requestedAt = now();
      const body: WireRestoreAndImportTaskRequest = {
        ...(input.backupLocationGuid === undefined
          ? { backup: input.backupGuid }
          : { backupLocation: { guid: input.backupLocationGuid, backup: { guid: input.backupGuid } } }),
        hypervisorManager: { guid: input.hypervisorManagerGuid },
        restoredPeName: input.restoredName,
        overwrite: input.overwrite ?? false,
        ...(input.projectGuid === undefined ? {} : { restoreProject: { guid: input.projectGuid } }),
        ...(input.availabilityZoneUuid === undefined ? {} : { restoreClusterId: input.availabilityZoneUuid }),
        ...(input.storageId === undefined ? {} : { restoreStorageId: input.storageId }),
        ...(input.flavorGuid === undefined ? {} : { restoreVmFlavor: { guid: input.flavorGuid } }),
        ...(input.restoreToOriginalVolumeType === undefined
          ? {}
          : { restoreToOriginalVolumeType: input.restoreToOriginalVolumeType }),
        ...(input.powerOnAfterRestore === undefined
          ? {}
          : { powerOnAfterRestore: input.powerOnAfterRestore }),
        ...(input.networks === undefined
          ? {}
          : {
              restoredNetworks: input.networks.map((n) => ({
                network: { guid: n.networkGuid },
                networkInterfaceCard:
                  n.nicName === undefined ? { guid: n.nicGuid } : { guid: n.nicGuid, name: n.nicName },
                ...(n.securityGroupGuids === undefined ? {} : { securityGroups: [...n.securityGroupGuids] }),
              })),
            }),
      };
      const response = await call({
        operation: 'createRestoreAndImportTask',
        method: 'POST',
        route: '/tasks/restore-and-import',
        body,
      });
      return settleCreated('createRestoreAndImportTask', response, {
        filter: { type: 'RESTORE', backupGuid: input.backupGuid },
        matches: recentOrActive(requestedAt),
      });
    },

    /** Asks Storware to re-read a hypervisor manager's inventory (`POST /tasks/inventory-sync`). */
    async createInventorySyncTask(hypervisorManagerGuid) {
      requireText('hypervisorManagerGuid', hypervisorManagerGuid);
      const requestedAt = now();
      const body: WireInventorySyncTaskRequest = { hypervisorManagers: [{ guid: hypervisorManagerGuid }] };
      const response = await call({
        operation: 'createInventorySyncTask',
        method: 'POST',
        route: '/tasks/inventory-sync',
        body,
      });
      return settleCreated('createInventorySyncTask', response, {
        filter: { type: 'INVENTORY_SYNC', hypervisorManagerGuid },
        matches: recentOrActive(requestedAt),
      });
    },

    /** One page of tasks (`GET /tasks`); `states` lets one call cover every task being polled. */
    listTasks,

    /** Every task matching the filter, following the pages. */
    listAllTasks,

    /** One task by guid. */
    async getTask(guid) {
      requireText('guid', guid);
      const response = await call({
        operation: 'getTask',
        method: 'GET',
        route: '/tasks/{guid}',
        pathParams: { guid },
      });
      return toTask('getTask', response.data);
    },

    /**
     * Cancels a queued or running task the way the Storware UI does:
     * `PUT /tasks/{guid}/state` with `{state:{name:"CANCELLED"}, statusInfo}` (storware-api.md §5).
     */
    async cancelTask(guid, statusInfo = 'Canceled by user') {
      requireText('guid', guid);
      const body: WireTaskStateChangeRequest = { state: { name: 'CANCELLED' }, statusInfo };
      await call({
        operation: 'cancelTask',
        method: 'PUT',
        route: '/tasks/{guid}/state',
        pathParams: { guid },
        body,
      });
    },

    /** Every VM backup policy (SLA), following the pages. */
    async listVmBackupPolicies(filter = {}) {
      return collectPages('listVmBackupPolicies', (page, size) => {
        const query: PolicyListQuery = { 'project-uuid': filter.projectUuid, page, size };
        return getPage(
          { operation: 'listVmBackupPolicies', method: 'GET', route: '/policies/vm-backup', query },
          { page, size },
          toPolicy,
        );
      });
    },

    /** One VM backup policy with its member `vms`. */
    async getVmBackupPolicy(guid) {
      requireText('guid', guid);
      const response = await call({
        operation: 'getVmBackupPolicy',
        method: 'GET',
        route: '/policies/vm-backup/{guid}',
        pathParams: { guid },
      });
      return toPolicy('getVmBackupPolicy', response.data);
    },

    /**
     * Storware's projects with their Keystone ids (`GET /projects`, storware-api.md §4). Answers
     * undefined when the server has no such endpoint (404): the UI stopped using it in 2024, so a
     * server may have dropped it.
     */
    async listProjects() {
      const response = await live.send({ operation: 'listProjects', method: 'GET', route: '/projects' });
      if (response.status === 404) {
        return undefined;
      }
      if (response.status < 200 || response.status >= 300) {
        throw httpFailure('listProjects', response.status, response.headers, response.data, scrub);
      }
      return requireArray('listProjects', response.data).map((item) => toProject('listProjects', item));
    },

    /** Hypervisor managers; an OpenStack region is one of type OPENSTACK. */
    async listHypervisorManagers() {
      return getList(
        { operation: 'listHypervisorManagers', method: 'GET', route: '/hypervisor-managers' },
        toHypervisorManager,
      );
    },

    /** Availability zones of a manager (Storware's hypervisor clusters). */
    async listAvailabilityZones(hypervisorManagerGuid) {
      requireText('hypervisorManagerGuid', hypervisorManagerGuid);
      const query: HypervisorManagerScopedQuery = { 'hypervisor-manager': hypervisorManagerGuid };
      return getList(
        { operation: 'listAvailabilityZones', method: 'GET', route: '/hypervisor-clusters', query },
        toAvailabilityZone,
      );
    },

    /** Flavors a restore can choose from. */
    async listFlavors(hypervisorManagerGuid) {
      requireText('hypervisorManagerGuid', hypervisorManagerGuid);
      const query: HypervisorManagerScopedQuery = { 'hypervisor-manager': hypervisorManagerGuid };
      return getList(
        { operation: 'listFlavors', method: 'GET', route: '/virtual-machine-flavors', query },
        toFlavor,
      );
    },

    /** Networks of a manager, optionally only those a project may use. */
    async listNetworks(hypervisorManagerGuid, filter = {}) {
      requireText('hypervisorManagerGuid', hypervisorManagerGuid);
      const query: NetworkListQuery = {
        'hypervisor-manager': hypervisorManagerGuid,
        'project-uuid': filter.projectUuid,
      };
      return getList({ operation: 'listNetworks', method: 'GET', route: '/network', query }, toNetwork);
    },

    /** Networks and security groups a restore of this backup can map its NICs to. */
    async getOpenstackRestoreSettings(q) {
      requireText('hypervisorManagerGuid', q.hypervisorManagerGuid);
      requireText('backupGuid', q.backupGuid);
      requireText('clusterGuid', q.clusterGuid);
      const query: RestoreSettingsQueryWire = {
        'hvm-guid': q.hypervisorManagerGuid,
        'backup-guid': q.backupGuid,
        'cluster-guid': q.clusterGuid,
        'project-guid': q.projectGuid,
      };
      const response = await call({
        operation: 'getOpenstackRestoreSettings',
        method: 'GET',
        route: '/openstack/restore-settings',
        query,
      });
      return toRestoreSettings('getOpenstackRestoreSettings', response.data);
    },

    /** Logs out (best effort) and releases the connection pool. */
    async close() {
      try {
        await logout();
      } catch (error) {
        logger.debug({ op: 'logout', code: (error as { code?: unknown }).code }, 'storware logout failed');
      } finally {
        transport.destroy();
      }
    },
  };
}

function requireText(path: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`${path} must be a non-empty string`, [{ path, message: 'required' }]);
  }
}

function validateExport(input: ExportTaskInput): void {
  const problems: { path: string; message: string }[] = [];
  if (input.vmGuids.length === 0 || input.vmGuids.some((g) => typeof g !== 'string' || g.trim() === '')) {
    problems.push({ path: 'vmGuids', message: 'at least one non-empty VM guid' });
  }
  if (input.backupType !== 'FULL' && input.backupType !== 'INCREMENTAL') {
    problems.push({ path: 'backupType', message: 'FULL or INCREMENTAL' });
  }
  if (
    input.priority !== undefined &&
    (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 100)
  ) {
    problems.push({ path: 'priority', message: 'an integer from 0 to 100' });
  }
  if (
    input.windowStart !== undefined &&
    input.windowEnd !== undefined &&
    input.windowEnd <= input.windowStart
  ) {
    problems.push({ path: 'windowEnd', message: 'must be after windowStart' });
  }
  if (problems.length > 0) {
    throw new ValidationError('Invalid Storware export request', problems);
  }
}
