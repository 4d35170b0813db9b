/**
 * The simulator's HTTP surface under `/api`, following docs/storware-api.md §2–§7, plus the older
 * spellings some public write-ups use (`/tasks/restore`, `/policies/assign`, `tenantid`; see
 * docs/design.md, "API spellings"), which are cheap to accept. Request enums and references are
 * read in both spellings (`"FULL"` or `{name:"FULL"}`, `"<guid>"` or `{guid}`), as the server
 * probably does (docs/storware-api.md §3); every refusal is `{message}` with a 4xx status.
 */
import { json, route, type Route, type SimRequest, type SimResponse } from '../http-kit';
import { SIM_TASK_TYPES, SimRefusal, type SimTask, type SimTaskType, type SimVm } from './model';
import { SESSION_COOKIE, type SessionStore, sessionTokenFrom } from './sessions';
import { sameProjectId, type StorwareWorld, type Unsuccessful } from './state';
import type { EnumStyle, WireRenderer } from './wire';

/**
 * How task-creating calls answer. Which shape the real server uses is undocumented
 * (docs/storware-api.md §6, §9): `auto` answers one task as an object and several as an array.
 */
export type TaskAnswerShape = 'auto' | 'array' | 'bulk' | 'empty';

export interface SimSettings {
  taskAnswerShape: TaskAnswerShape;
  enumStyle: EnumStyle;
}

export interface RouteContext {
  readonly world: StorwareWorld;
  readonly sessions: SessionStore;
  readonly wire: WireRenderer;
  readonly settings: SimSettings;
  readonly secure: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `"FULL"` or `{name:"FULL"}`. */
function enumInput(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return isObject(value) && typeof value.name === 'string' ? value.name : undefined;
}

/** `"<guid>"` or `{guid}`. */
function guidOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') {
    return value;
  }
  return isObject(value) && typeof value.guid === 'string' && value.guid !== '' ? value.guid : undefined;
}

function optionalMillis(body: Json, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SimRefusal(400, `${key} must be epoch milliseconds`);
  }
  return value;
}

function priorityOf(body: Json): number {
  const value = body.priority ?? 50;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new SimRefusal(400, 'priority must be an integer from 0 to 100');
  }
  return value;
}

function requireBody(req: SimRequest): Json {
  if (!isObject(req.body)) {
    throw new SimRefusal(400, 'A JSON object body is required');
  }
  return req.body;
}

function intParam(req: SimRequest, name: string, min: number): number | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') {
    return undefined;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new SimRefusal(400, `${name} must be an integer >= ${min}`);
  }
  return Number(raw);
}

/** `project-uuid` (current), `tenantid` (MAN) and `tenantId` (MAN, tasks) all scope by project. */
function projectScope(req: SimRequest): string | undefined {
  return req.query.get('project-uuid') ?? req.query.get('tenantid') ?? req.query.get('tenantId') ?? undefined;
}

function sortKey(value: unknown): string | number {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string') {
    return value.toLowerCase();
  }
  const name = enumInput(value);
  if (name !== undefined) {
    return name;
  }
  return isObject(value) && typeof value.name === 'string' ? value.name.toLowerCase() : '';
}

/** docs/storware-api.md §3 Paging: 0-based `page`, `size`, `orderBy`, `direction`, total in X-Total-Count. */
function paged(req: SimRequest, items: Json[]): SimResponse {
  const page = intParam(req, 'page', 0) ?? 0;
  const size = intParam(req, 'size', 1);
  const orderBy = req.query.get('orderBy');
  const descending = (req.query.get('direction') ?? 'asc').toLowerCase() === 'desc';
  let list = items;
  if (orderBy) {
    list = [...items].sort((a, b) => {
      const x = sortKey(a[orderBy]);
      const y = sortKey(b[orderBy]);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
  }
  const body = size === undefined ? list : list.slice(page * size, page * size + size);
  return json(200, body, { 'X-Total-Count': String(items.length) });
}

function refusal(error: unknown): SimResponse {
  if (error instanceof SimRefusal) {
    return json(error.status, { message: error.message });
  }
  throw error;
}

/** Wraps a handler so domain refusals become `{message}` answers. */
function safe(handler: (req: SimRequest) => SimResponse): (req: SimRequest) => SimResponse {
  return (req) => {
    try {
      return handler(req);
    } catch (error) {
      return refusal(error);
    }
  };
}

/** The `/api` route table over one simulated installation. */
export function storwareRoutes(ctx: RouteContext): Route[] {
  const { world, sessions, wire, settings } = ctx;

  function inScope(vm: SimVm, scope: string | undefined): boolean {
    if (scope === undefined) {
      return true;
    }
    const project = world.projectByGuid(vm.projectGuid);
    return project !== undefined && sameProjectId(project.uuid, scope);
  }

  function vmInScope(guid: string, scope: string | undefined): SimVm {
    const vm = world.vm(guid);
    if (!vm || !inScope(vm, scope)) {
      throw new SimRefusal(404, `Virtual machine ${guid} not found`);
    }
    return vm;
  }

  function managerMatches(req: SimRequest, name = 'hypervisor-manager'): boolean {
    const guid = req.query.get(name);
    return guid === null || guid === world.hypervisorManager.guid;
  }

  function taskAnswer(tasks: SimTask[], unsuccessful: readonly Unsuccessful[]): SimResponse {
    const rendered = tasks.map((t) => wire.task(t));
    switch (settings.taskAnswerShape) {
      case 'empty':
        return json(204);
      case 'array':
        return json(201, rendered);
      case 'bulk':
        return json(201, {
          successful: tasks.map((t) => {
            const vm = t.vmGuid === undefined ? undefined : world.vm(t.vmGuid);
            return vm ? { guid: vm.guid, name: vm.name } : { guid: t.guid };
          }),
          unsuccessful: unsuccessful.map((u) => ({ guid: u.guid, name: u.name ?? u.guid })),
          tasks: rendered,
        });
      case 'auto':
        return json(201, rendered.length === 1 ? rendered[0] : rendered);
    }
  }

  const restore = safe((req) => {
    const body = requireBody(req);
    const location = isObject(body.backupLocation) ? body.backupLocation : undefined;
    const networks = Array.isArray(body.restoredNetworks)
      ? body.restoredNetworks.map((n: unknown) => {
          const network = isObject(n) ? guidOf(n.network) : undefined;
          if (network === undefined) {
            throw new SimRefusal(400, 'restoredNetworks[].network.guid is required');
          }
          return { nicGuid: isObject(n) ? guidOf(n.networkInterfaceCard) : undefined, networkGuid: network };
        })
      : undefined;
    const task = world.createRestoreTask({
      backupGuid: guidOf(body.backup) ?? (location ? guidOf(location.backup) : undefined),
      backupLocationGuid: location ? guidOf(location) : undefined,
      hypervisorManagerGuid: guidOf(body.hypervisorManager),
      restoredName:
        typeof body.restoredPeName === 'string' && body.restoredPeName !== ''
          ? body.restoredPeName
          : undefined,
      project: guidOf(body.restoreProject),
      clusterUuid: typeof body.restoreClusterId === 'string' ? body.restoreClusterId : undefined,
      flavorGuid: guidOf(body.restoreVmFlavor),
      overwrite: body.overwrite === true,
      powerOnAfterRestore: body.powerOnAfterRestore === true,
      networks,
      priority: priorityOf(body),
    });
    return taskAnswer([task], []);
  });

  const assignPolicy = safe((req) => {
    // A simplified call from public write-ups (docs/design.md, "API spellings"); its body is not
    // documented, so accept the obvious forms.
    const body = requireBody(req);
    const policyGuid = guidOf(body.policy) ?? guidOf(body.policyGuid);
    const vmGuids = (Array.isArray(body.vms) ? body.vms : Array.isArray(body.vmGuids) ? body.vmGuids : [])
      .map(guidOf)
      .filter((g): g is string => g !== undefined);
    if (policyGuid === undefined || vmGuids.length === 0) {
      throw new SimRefusal(400, 'policy and vms are required');
    }
    const policy = world.policy(policyGuid);
    if (!policy) {
      throw new SimRefusal(404, `Policy ${policyGuid} not found`);
    }
    for (const guid of vmGuids) {
      world.setVmPolicy(guid, policyGuid);
    }
    return json(200, wire.policy(policy));
  });

  return [
    // -- session (docs/storware-api.md §2) -------------------------------------------------------
    route('POST', '/api/session/login', (req) => {
      const body = isObject(req.body) ? req.body : {};
      if (typeof body.login !== 'string' || typeof body.password !== 'string') {
        return json(400, { message: 'login and password are required' });
      }
      const token = sessions.login(body.login, body.password);
      if (token === undefined) {
        return json(401, { message: 'Invalid login or password' });
      }
      const cookie = `${SESSION_COOKIE}=${token}; Path=/api; HttpOnly${ctx.secure ? '; Secure' : ''}`;
      return json(201, wire.sessionInfo(body.login), { 'Set-Cookie': cookie });
    }),
    route('GET', '/api/session', () => json(204)),
    route('GET', '/api/session/user', (req) =>
      json(200, wire.sessionInfo(sessions.touch(sessionTokenFrom(req.headers.cookie)) ?? '')),
    ),
    route('POST', '/api/session/logout', (req) => {
      sessions.logout(sessionTokenFrom(req.headers.cookie));
      return json(204, undefined, { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/api; Max-Age=0` });
    }),

    // -- inventory (docs/storware-api.md §4, §5) -------------------------------------------------
    route(
      'GET',
      '/api/virtual-machines',
      safe((req) => {
        const scope = projectScope(req);
        const uuid = req.query.get('uuid');
        const type = req.query.get('hypervisor-manager-type');
        const nameLike = req.query.get('nameLike')?.toLowerCase();
        const vms = world
          .vms()
          .filter((vm) => inScope(vm, scope))
          .filter((vm) => uuid === null || vm.uuid.toLowerCase() === uuid.toLowerCase())
          // Every simulated manager is OpenStack.
          .filter(() => type === null || type.toUpperCase() === 'OPENSTACK')
          .filter((vm) => nameLike === undefined || vm.name.toLowerCase().includes(nameLike))
          .sort((a, b) => a.name.localeCompare(b.name) || a.guid.localeCompare(b.guid));
        return paged(
          req,
          vms.map((vm) => wire.vm(vm)),
        );
      }),
    ),
    route(
      'GET',
      '/api/virtual-machines/:guid',
      safe((req) => json(200, wire.vm(vmInScope(req.params.guid ?? '', projectScope(req))))),
    ),
    route(
      'PUT',
      '/api/virtual-machines/:guid/settings',
      safe((req) => {
        const vm = vmInScope(req.params.guid ?? '', projectScope(req));
        const body = requireBody(req);
        if (body.guid !== undefined && body.guid !== vm.guid) {
          throw new SimRefusal(400, 'The body is a different virtual machine than the path');
        }
        // The body is the whole VM (docs/storware-api.md §5); of its settings only the policy is
        // modelled. An absent field leaves the setting as it was, null clears it.
        if ('vmBackupPolicy' in body) {
          const policy = body.vmBackupPolicy === null ? undefined : guidOf(body.vmBackupPolicy);
          if (body.vmBackupPolicy !== null && policy === undefined) {
            throw new SimRefusal(400, 'vmBackupPolicy must be a policy reference or null');
          }
          world.setVmPolicy(vm.guid, policy);
        }
        return json(200, wire.vm(vm));
      }),
    ),
    route('GET', '/api/hypervisor-managers', (req) => {
      const backup = req.query.get('backup-to-be-restored');
      const hvm = world.hypervisorManager;
      const list = backup === null || world.backup(backup) ? [hvm] : [];
      return json(
        200,
        list.map((m) => ({ guid: m.guid, name: m.name, url: m.url, type: wire.e(m.type) })),
      );
    }),
    route('GET', '/api/hypervisor-clusters', (req) =>
      json(
        200,
        managerMatches(req) ? world.clusters.map((c) => ({ guid: c.guid, uuid: c.uuid, name: c.name })) : [],
      ),
    ),
    route('GET', '/api/virtual-machine-flavors', (req) =>
      json(200, managerMatches(req) ? world.flavors.map((f) => ({ guid: f.guid, name: f.name })) : []),
    ),
    route('GET', '/api/network', (req) => {
      const scope = projectScope(req);
      const project = scope === undefined ? undefined : world.projectByRef(scope);
      if (!managerMatches(req) || (scope !== undefined && !project)) {
        return json(200, []);
      }
      return json(
        200,
        world.networksFor(project?.guid).map((n) => ({ guid: n.guid, uuid: n.uuid, name: n.name })),
      );
    }),
    route('GET', '/api/network/shared', (req) =>
      json(
        200,
        managerMatches(req)
          ? world.networks
              .filter((n) => n.projectGuid === undefined)
              .map((n) => ({ guid: n.guid, uuid: n.uuid, name: n.name }))
          : [],
      ),
    ),
    route('GET', '/api/projects', () =>
      json(
        200,
        world.projects.map((p) => ({ guid: p.guid, uuid: p.uuid, name: p.name })),
      ),
    ),
    route(
      'GET',
      '/api/openstack/restore-settings',
      safe((req) => {
        const hvm = req.query.get('hvm-guid');
        const backupGuid = req.query.get('backup-guid');
        const cluster = req.query.get('cluster-guid');
        if (hvm === null || backupGuid === null || cluster === null) {
          throw new SimRefusal(400, 'hvm-guid, backup-guid and cluster-guid are required');
        }
        const backup = world.backup(backupGuid);
        if (!backup) {
          throw new SimRefusal(404, `Backup ${backupGuid} not found`);
        }
        if (hvm !== world.hypervisorManager.guid || !world.cluster(cluster)) {
          throw new SimRefusal(400, 'Unknown hypervisor manager or cluster');
        }
        const projectRef = req.query.get('project-guid');
        const project =
          projectRef === null ? world.projectByGuid(backup.projectGuid) : world.projectByRef(projectRef);
        if (!project) {
          throw new SimRefusal(400, `Project ${projectRef ?? ''} not found`);
        }
        const groups = world.securityGroups.filter((g) => g.projectGuid === project.guid);
        const entity = (e: { guid: string; uuid: string; name: string }) => ({
          guid: e.guid,
          name: e.name,
          uuid: e.uuid,
        });
        // One source entry per NIC in the backup [I]: docs/storware-api.md §7 (restore-settings) lists
        // the fields, not their owner.
        return json(200, {
          networkSection: {
            securityGroupsFromHypervisorManager: groups.map(entity),
            sourceNetworkWithSecurityGroups: backup.nics.map((nic) => ({
              guid: nic.guid,
              uuid: nic.uuid,
              name: nic.name,
              defaultMacAddress: nic.macAddress,
              defaultNetworkInternalId: world.network(nic.networkGuid)?.uuid ?? null,
              securityGroupsFromBackup: world.securityGroups
                .filter((g) => nic.securityGroupGuids.includes(g.guid))
                .map(entity),
            })),
            targetNetworks: world.networksFor(project.guid).map(entity),
          },
        });
      }),
    ),

    // -- backups (docs/storware-api.md §5, §7) ---------------------------------------------------
    route(
      'GET',
      '/api/backups',
      safe((req) => {
        const entity = req.query.get('protected-entity');
        const statuses = req.query.getAll('status').flatMap((s) => s.split(','));
        const from = intParam(req, 'from', 0);
        const to = intParam(req, 'to', 0);
        const scope = projectScope(req);
        const list = world
          .backups()
          .filter((b) => entity === null || b.vmGuid === entity)
          .filter((b) => statuses.length === 0 || statuses.includes(b.status))
          .filter((b) => from === undefined || (b.snapshotTime ?? 0) >= from)
          .filter((b) => to === undefined || (b.snapshotTime ?? 0) <= to)
          .filter((b) => {
            const project = world.projectByGuid(b.projectGuid);
            return scope === undefined || (project !== undefined && sameProjectId(project.uuid, scope));
          })
          .sort(
            (a, b) =>
              (b.snapshotTime ?? Number.MAX_SAFE_INTEGER) - (a.snapshotTime ?? Number.MAX_SAFE_INTEGER),
          );
        return json(
          200,
          list.map((b) => wire.backup(b, false)),
        );
      }),
    ),
    route(
      'GET',
      '/api/backups/:guid',
      safe((req) => {
        const backup = world.backup(req.params.guid ?? '');
        if (!backup) {
          throw new SimRefusal(404, `Backup ${req.params.guid ?? ''} not found`);
        }
        return json(200, wire.backup(backup, true));
      }),
    ),
    route('GET', '/api/backup-locations', (req) => {
      const entity = req.query.get('protected-entity');
      const status = req.query.get('location-status');
      const list = world
        .backups()
        .filter((b) => entity === null || b.vmGuid === entity)
        .filter((b) => status === null || b.location.status === status)
        .sort((a, b) => (b.snapshotTime ?? 0) - (a.snapshotTime ?? 0));
      return json(
        200,
        list.map((b) => wire.location(b)),
      );
    }),

    // -- tasks (docs/storware-api.md §5, §6) -----------------------------------------------------
    route(
      'POST',
      '/api/tasks/export',
      safe((req) => {
        const body = requireBody(req);
        const backupType = enumInput(body.backupType);
        if (backupType !== 'FULL' && backupType !== 'INCREMENTAL') {
          throw new SimRefusal(400, 'backupType must be FULL or INCREMENTAL');
        }
        const entities = Array.isArray(body.protectedEntities) ? body.protectedEntities.map(guidOf) : [];
        if (entities.length === 0 || entities.some((g) => g === undefined)) {
          throw new SimRefusal(400, 'protectedEntities must list at least one virtual machine');
        }
        const { tasks, unsuccessful } = world.createExportTasks({
          vmGuids: entities as string[],
          backupType,
          priority: priorityOf(body),
          windowStart: optionalMillis(body, 'windowStart'),
          windowEnd: optionalMillis(body, 'windowEnd'),
          allOrNothing: settings.taskAnswerShape !== 'bulk',
        });
        return taskAnswer(tasks, unsuccessful);
      }),
    ),
    route('POST', '/api/tasks/restore-and-import', restore),
    route('POST', '/api/tasks/restore', restore),
    route(
      'POST',
      '/api/tasks/inventory-sync',
      safe((req) => {
        const body = requireBody(req);
        const managers = Array.isArray(body.hypervisorManagers) ? body.hypervisorManagers.map(guidOf) : [];
        if (managers.length === 0 || managers.some((g) => g === undefined)) {
          throw new SimRefusal(400, 'hypervisorManagers must list at least one manager');
        }
        return taskAnswer(world.createInventorySyncTasks(managers as string[]), []);
      }),
    ),
    route(
      'GET',
      '/api/tasks',
      safe((req) => {
        const q = (name: string) => req.query.get(name);
        const states = [...req.query.getAll('states'), ...req.query.getAll('state')].flatMap((s) =>
          s.split(','),
        );
        const scope = projectScope(req);
        const tasks = world
          .tasks()
          .filter((t) => q('backup') === null || t.backupGuid === q('backup'))
          .filter(
            (t) => q('hypervisor-manager') === null || t.hypervisorManagerGuid === q('hypervisor-manager'),
          )
          .filter((t) => q('parent-task') === null || t.parentTaskGuid === q('parent-task'))
          .filter((t) => q('protected-entity') === null || t.vmGuid === q('protected-entity'))
          .filter((t) => q('type') === null || t.type === q('type'))
          .filter((t) => states.length === 0 || states.includes(t.state))
          .filter((t) => {
            const vm = t.vmGuid === undefined ? undefined : world.vm(t.vmGuid);
            return scope === undefined || (vm !== undefined && inScope(vm, scope));
          })
          // Newest first, like the task console [I].
          .sort((a, b) => b.seq - a.seq);
        return paged(
          req,
          tasks.map((t) => wire.task(t)),
        );
      }),
    ),
    route(
      'GET',
      '/api/tasks/:guid',
      safe((req) => {
        const task = world.task(req.params.guid ?? '');
        if (!task) {
          throw new SimRefusal(404, `Task ${req.params.guid ?? ''} not found`);
        }
        return json(200, wire.task(task));
      }),
    ),
    route(
      'PUT',
      '/api/tasks/:guid/state',
      safe((req) => {
        const body = requireBody(req);
        if (enumInput(body.state) !== 'CANCELLED') {
          throw new SimRefusal(400, 'Only the state CANCELLED can be set');
        }
        const statusInfo = typeof body.statusInfo === 'string' ? body.statusInfo : 'Canceled by user';
        return json(200, wire.task(world.cancelTask(req.params.guid ?? '', statusInfo)));
      }),
    ),

    // -- policies (docs/storware-api.md §5, §7) --------------------------------------------------
    route(
      'GET',
      '/api/policies/vm-backup',
      safe((req) =>
        paged(
          req,
          world.policies().map((p) => wire.policy(p)),
        ),
      ),
    ),
    route('POST', '/api/policies/assign', assignPolicy),
    route(
      'GET',
      '/api/policies/vm-backup/:guid',
      safe((req) => {
        const policy = world.policy(req.params.guid ?? '');
        if (!policy) {
          throw new SimRefusal(404, `Policy ${req.params.guid ?? ''} not found`);
        }
        return json(200, wire.policy(policy));
      }),
    ),
    route(
      'PUT',
      '/api/policies/vm-backup/:guid',
      safe((req) => {
        const body = requireBody(req);
        const guid = req.params.guid ?? '';
        if (body.guid !== undefined && body.guid !== guid) {
          throw new SimRefusal(400, 'The body is a different policy than the path');
        }
        if (Array.isArray(body.vms)) {
          const vmGuids = body.vms.map(guidOf);
          if (vmGuids.some((g) => g === undefined)) {
            throw new SimRefusal(400, 'vms[] must be references with a guid');
          }
          world.setPolicyVms(guid, vmGuids as string[]);
        }
        const policy = world.policy(guid);
        if (!policy) {
          throw new SimRefusal(404, `Policy ${guid} not found`);
        }
        if (typeof body.active === 'boolean') {
          policy.active = body.active;
        }
        return json(200, wire.policy(policy));
      }),
    ),
  ];
}

/** Test and demo controls under `/__admin/storware/…` (see index.ts for the in-process ones). */
export function storwareAdminRoutes(ctx: RouteContext & { snapshot: () => unknown }): Route[] {
  return [
    route('GET', '/__admin/storware/state', () => {
      ctx.world.advance();
      return json(200, ctx.snapshot());
    }),
    route(
      'POST',
      '/__admin/storware/fail-next-task',
      safe((req) => {
        const body = requireBody(req);
        const type = typeof body.type === 'string' ? body.type.toUpperCase().replace('-', '_') : '';
        if (!(SIM_TASK_TYPES as readonly string[]).includes(type)) {
          throw new SimRefusal(400, `type must be one of ${SIM_TASK_TYPES.join(', ')}`);
        }
        const statusInfo = typeof body.statusInfo === 'string' ? body.statusInfo : undefined;
        ctx.world.failNextTask(type as SimTaskType, statusInfo ?? defaultFailure(type as SimTaskType));
        return json(204);
      }),
    ),
    route('POST', '/__admin/storware/expire-sessions', () => {
      ctx.sessions.expireAll();
      return json(204);
    }),
    route(
      'POST',
      '/__admin/storware/provision-instance',
      safe((req) => {
        const body = requireBody(req);
        if (typeof body.name !== 'string' || typeof body.projectUuid !== 'string') {
          throw new SimRefusal(400, 'name and projectUuid are required');
        }
        return json(
          201,
          ctx.world.provisionInstance({
            name: body.name,
            projectUuid: body.projectUuid,
            uuid: typeof body.uuid === 'string' ? body.uuid : undefined,
          }),
        );
      }),
    ),
    route(
      'POST',
      '/__admin/storware/settings',
      safe((req) => {
        const body = requireBody(req);
        if (typeof body.taskDurationMs === 'number') {
          ctx.world.setDurations(
            Object.fromEntries(SIM_TASK_TYPES.map((t) => [t, body.taskDurationMs as number])),
          );
        }
        if (
          body.taskAnswerShape === 'auto' ||
          body.taskAnswerShape === 'array' ||
          body.taskAnswerShape === 'bulk' ||
          body.taskAnswerShape === 'empty'
        ) {
          ctx.settings.taskAnswerShape = body.taskAnswerShape;
        }
        if (body.enumStyle === 'object' || body.enumStyle === 'string') {
          ctx.settings.enumStyle = body.enumStyle;
        }
        return json(200, ctx.settings);
      }),
    ),
  ];
}

/** The statusInfo a failure injected without text carries, worded like Storware's. */
export function defaultFailure(type: SimTaskType): string {
  switch (type) {
    case 'EXPORT':
      return 'Export failed: snapshot of volume vda could not be created';
    case 'STORE':
      return 'Store failed: backup destination primary-filesystem is full';
    case 'RESTORE':
      return 'Restore failed: backup file could not be read from the destination';
    case 'IMPORT':
      return 'Import failed: OpenStack refused to create the server (quota exceeded)';
    case 'INVENTORY_SYNC':
      return 'Inventory synchronization failed: Keystone did not answer';
  }
}
