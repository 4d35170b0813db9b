/**
 * VM backup policies (SLAs, `/policies/vm-backup`, docs/storware-api.md §7 Policy) and putting an
 * instance under one.
 */
import { collectPages, requireText, type StorwareCore } from './core';
import { unexpectedAnswer } from './errors';
import { getVirtualMachine } from './inventory';
import { isObject, toPolicy, toVm } from './normalize';
import type { StorwarePolicy, StorwareVm } from './types';
import type { PolicyListQuery, WireVirtualMachine } from './wire';

export interface PolicyCalls {
  /**
   * Puts one instance under a VM backup policy: reads the VM and saves its settings with
   * `vmBackupPolicy` set (`PUT /virtual-machines/{guid}/settings` takes the whole VM,
   * docs/storware-api.md §5). Preferred over editing the policy's `vms`, which would race with every
   * other assignment to the same policy. Answers the instance as saved.
   */
  assignVmBackupPolicy(vmGuid: string, policyGuid: string): Promise<StorwareVm>;

  /** Every VM backup policy (SLA), following the pages. */
  listVmBackupPolicies(filter?: { readonly projectUuid?: string }): Promise<StorwarePolicy[]>;

  /** One VM backup policy with its member `vms`. */
  getVmBackupPolicy(guid: string): Promise<StorwarePolicy>;
}

export function policyCalls(core: StorwareCore): PolicyCalls {
  return {
    async assignVmBackupPolicy(vmGuid, policyGuid) {
      requireText('vmGuid', vmGuid);
      requireText('policyGuid', policyGuid);
      // The settings call takes the whole VM as Storware sent it, not the domain object.
      const current = await core.getByGuid(
        'getVirtualMachine',
        '/virtual-machines/{guid}',
        vmGuid,
        (operation, value) => {
          if (!isObject(value) || value.guid !== vmGuid) {
            throw unexpectedAnswer(operation, 'the answer is not the requested instance');
          }
          return value as WireVirtualMachine;
        },
      );
      const body: WireVirtualMachine = { ...current, vmBackupPolicy: { guid: policyGuid } };
      const saved = await core.call({
        operation: 'assignVmBackupPolicy',
        method: 'PUT',
        route: '/virtual-machines/{guid}/settings',
        pathParams: { guid: vmGuid },
        body,
      });
      return isObject(saved.data) && typeof saved.data.guid === 'string'
        ? toVm('assignVmBackupPolicy', saved.data)
        : getVirtualMachine(core, vmGuid);
    },

    async listVmBackupPolicies(filter = {}) {
      return collectPages('listVmBackupPolicies', (page, size) => {
        const query: PolicyListQuery = { 'project-uuid': filter.projectUuid, page, size };
        return core.getPage(
          { operation: 'listVmBackupPolicies', method: 'GET', route: '/policies/vm-backup', query },
          { page, size },
          toPolicy,
        );
      });
    },

    async getVmBackupPolicy(guid) {
      return core.getByGuid('getVmBackupPolicy', '/policies/vm-backup/{guid}', guid, toPolicy);
    },
  };
}
