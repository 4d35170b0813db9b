/**
 * The tenant guard on the Storware side: an instance is the tenant's only if Storware lists it
 * under the tenant's project (`project-uuid` scoping), its uuid is exactly the one asked for, and
 * its project is the tenant's project (checked against Storware's project list where the server
 * has one). Anything else — absent, foreign, gone from the cloud — is "not found" to the caller,
 * so a tenant learns nothing about other projects.
 */
import type { StorwareVm } from '../clients/storware';
import type { TenantConfig } from '../config';
import type { Logger } from '../logger';
import type { RequestDeps } from './deps';

export async function findTenantInstance(
  deps: RequestDeps,
  tenant: TenantConfig,
  instanceUuid: string,
  log: Logger,
): Promise<StorwareVm | undefined> {
  const page = await deps.storware.listVirtualMachines({
    projectUuid: tenant.openStackProjectId,
    uuid: instanceUuid,
  });
  const matches = page.items.filter(
    (vm) => vm.uuid?.toLowerCase() === instanceUuid.toLowerCase() && vm.present !== false,
  );
  const vm = matches[0];
  if (!vm) {
    return undefined;
  }
  const lookup = await deps.projects.storwareProjectGuid(tenant.openStackProjectId);
  if (lookup.supported && (lookup.guid === undefined || vm.project?.guid !== lookup.guid)) {
    // Scoping returned an instance of another project: refuse, and tell ops, since it means the
    // server ignored project-uuid.
    log.warn(
      { instance: instanceUuid, tenant: tenant.id, vmProject: vm.project?.guid },
      'scoped inventory returned an instance of another project',
    );
    return undefined;
  }
  return vm;
}
