/**
 * The inventory Storware keeps of the OpenStack side (docs/storware-api.md §4, §5 Inventory):
 * instances, projects, hypervisor managers (one per region) and what a manager offers a restore:
 * availability zones, flavors and networks.
 */
import { collectPages, type ListAllOptions, requireText, type StorwareCore } from './core';
import {
  requireArray,
  toAvailabilityZone,
  toFlavor,
  toHypervisorManager,
  toNetwork,
  toProject,
  toVm,
} from './normalize';
import { recentOrActive, startTasks } from './tasks';
import type {
  AvailabilityZone,
  HypervisorManager,
  Page,
  PageRequest,
  StorwareNetwork,
  StorwareProject,
  StorwareRef,
  StorwareVm,
  TaskBatch,
  VmFilter,
} from './types';
import type { NetworkListQuery, VmListQuery, WireInventorySyncTaskRequest } from './wire';

export interface InventoryCalls {
  /**
   * One page of a project's instances (`GET /virtual-machines?project-uuid=…`). With `uuid`
   * (a Nova id) the answer is the instance if, and only if, Storware has it in that project.
   */
  listVirtualMachines(filter: VmFilter & PageRequest): Promise<Page<StorwareVm>>;

  /** Every instance of a project matching the filter, following the pages. */
  listAllVirtualMachines(filter: VmFilter, options?: ListAllOptions): Promise<StorwareVm[]>;

  /** One instance by Storware guid. 404 is a permanent UpstreamError. */
  getVirtualMachine(guid: string): Promise<StorwareVm>;

  /** Asks Storware to re-read a hypervisor manager's inventory (`POST /tasks/inventory-sync`). */
  createInventorySyncTask(hypervisorManagerGuid: string): Promise<TaskBatch>;

  /**
   * Storware's projects with their Keystone ids (`GET /projects`, docs/storware-api.md §4). Answers
   * undefined when the server has no such endpoint (404): the UI stopped using it in 2024, so a
   * server may have dropped it.
   */
  listProjects(): Promise<StorwareProject[] | undefined>;

  /** Hypervisor managers; an OpenStack region is one of type OPENSTACK. */
  listHypervisorManagers(): Promise<HypervisorManager[]>;

  /** Availability zones of a manager (Storware's hypervisor clusters). */
  listAvailabilityZones(hypervisorManagerGuid: string): Promise<AvailabilityZone[]>;

  /** Flavors a restore can choose from. */
  listFlavors(hypervisorManagerGuid: string): Promise<StorwareRef[]>;

  /** Networks of a manager, optionally only those a project may use. */
  listNetworks(
    hypervisorManagerGuid: string,
    filter?: { readonly projectUuid?: string },
  ): Promise<StorwareNetwork[]>;
}

export function inventoryCalls(core: StorwareCore): InventoryCalls {
  async function listVirtualMachines(filter: VmFilter & PageRequest): Promise<Page<StorwareVm>> {
    requireText('projectUuid', filter.projectUuid);
    const query: VmListQuery = {
      'project-uuid': filter.projectUuid,
      uuid: filter.uuid,
      'hypervisor-manager-type': filter.hypervisorManagerType,
      page: filter.page,
      size: filter.size,
      orderBy: filter.orderBy,
      direction: filter.direction,
    };
    return core.getPage(
      { operation: 'listVirtualMachines', method: 'GET', route: '/virtual-machines', query },
      filter,
      toVm,
    );
  }

  return {
    listVirtualMachines,

    async listAllVirtualMachines(filter, options = {}) {
      return collectPages(
        'listVirtualMachines',
        (page, size) => listVirtualMachines({ ...filter, page, size }),
        options.pageSize,
      );
    },

    getVirtualMachine: (guid) => getVirtualMachine(core, guid),

    async createInventorySyncTask(hypervisorManagerGuid) {
      requireText('hypervisorManagerGuid', hypervisorManagerGuid);
      const requestedAt = core.now();
      const body: WireInventorySyncTaskRequest = { hypervisorManagers: [{ guid: hypervisorManagerGuid }] };
      return startTasks(
        core,
        { operation: 'createInventorySyncTask', method: 'POST', route: '/tasks/inventory-sync', body },
        { filter: { type: 'INVENTORY_SYNC', hypervisorManagerGuid }, matches: recentOrActive(requestedAt) },
      );
    },

    async listProjects() {
      const request = { operation: 'listProjects', method: 'GET', route: '/projects' } as const;
      const response = await core.session.send(request);
      if (response.status === 404) {
        return undefined;
      }
      core.ensureOk(request.operation, response);
      return requireArray(request.operation, response.data).map((item) => toProject(request.operation, item));
    },

    async listHypervisorManagers() {
      return core.getList(
        { operation: 'listHypervisorManagers', method: 'GET', route: '/hypervisor-managers' },
        toHypervisorManager,
      );
    },

    async listAvailabilityZones(hypervisorManagerGuid) {
      return core.listForManager(
        'listAvailabilityZones',
        '/hypervisor-clusters',
        hypervisorManagerGuid,
        toAvailabilityZone,
      );
    },

    async listFlavors(hypervisorManagerGuid) {
      return core.listForManager('listFlavors', '/virtual-machine-flavors', hypervisorManagerGuid, toFlavor);
    },

    async listNetworks(hypervisorManagerGuid, filter = {}) {
      const query: Omit<NetworkListQuery, 'hypervisor-manager'> = { 'project-uuid': filter.projectUuid };
      return core.listForManager('listNetworks', '/network', hypervisorManagerGuid, toNetwork, query);
    },
  };
}

/** One instance by Storware guid; also how policies.ts rereads an instance it could not read back. */
export async function getVirtualMachine(core: StorwareCore, guid: string): Promise<StorwareVm> {
  return core.getByGuid('getVirtualMachine', '/virtual-machines/{guid}', guid, toVm);
}
