/**
 * Job `request.restore-point`: restore an instance from a backup point (docs/storware-api.md §5–§7,
 * restore-and-import), always approved by someone other than the requester and the opener.
 *
 * Steps: find the instance in the tenant's project → resolve the backup point (an explicit one must
 * belong to the instance; `latest` is the newest successful one) → approval bound to the exact
 * parameters (see src/approvals) → optional safety backup before an overwrite → restore-and-import
 * task (adopted if it exists) → wait for RESTORE and IMPORT → report the restored instance.
 * Choices a tenant makes by name (flavor, network, security groups, availability zone) are resolved
 * against what Storware offers for the instance's OpenStack, never taken as ids on trust.
 */
import { approvalPacketText, parametersHash, type RestoreParameters } from '../../approvals/approval-packet';
import type { RestorePointVariables } from './definition';
import type { RestoredNetworkInput, StorwareBackup, StorwareVm } from '../../clients/storware';
import type { RequestDeps } from '../../requests/deps';
import { findTenantInstance } from '../../requests/instances';
import {
  finish,
  notFoundTerminal,
  type ItemContext,
  type ItemFlow,
  type StepResult,
  type Terminal,
} from '../../requests/flow';
import { adoptionFloor, awaitPhases, ensureTask, exportInstance, taskOf } from '../../requests/tasks';
import { formatDuration, formatInstant, formatWhen } from '../../requests/wording';

type Ctx = ItemContext<'storware_restore_point'>;

const RESTORE_STEP = 'restore';
const SAFETY_STEP = 'safety-backup';

interface Resolved {
  readonly vm: StorwareVm;
  readonly backup: StorwareBackup;
  readonly params: RestoreParameters;
}

function refuse(code: string, comment: string, workNote: string): Terminal {
  return { kind: 'failed', code, comment, workNote };
}

/** The backup point the request names, if it is this instance's and usable. */
async function resolveBackup(
  deps: RequestDeps,
  vm: StorwareVm,
  wanted: string,
): Promise<StorwareBackup | undefined> {
  if (wanted === 'latest') {
    const backups = await deps.storware.listBackups(vm.guid, { statuses: ['SUCCESS', 'PARTIAL_SUCCESS'] });
    return backups
      .filter((b) => b.status === 'SUCCESS' || b.status === 'PARTIAL_SUCCESS')
      .sort((a, b) => (b.backupTime ?? b.snapshotTime ?? 0) - (a.backupTime ?? a.snapshotTime ?? 0))[0];
  }
  const backups = await deps.storware.listBackups(vm.guid);
  const backup = backups.find((b) => b.guid.toLowerCase() === wanted.toLowerCase());
  // A guid from another instance (or tenant) is simply not in this instance's list.
  if (!backup || (backup.status !== 'SUCCESS' && backup.status !== 'PARTIAL_SUCCESS')) {
    return undefined;
  }
  return backup;
}

async function resolve(ctx: Ctx): Promise<Resolved | Terminal> {
  const { deps, variables: v } = ctx;
  const vm = await findTenantInstance(deps, ctx.tenant, v.instance_id, ctx.log);
  if (!vm) {
    return notFoundTerminal(v.instance_id);
  }
  const backup = await resolveBackup(deps, vm, v.backup_point);
  if (!backup) {
    return refuse(
      'backup_point_not_found',
      v.backup_point === 'latest'
        ? `There is no successful backup of ${vm.name} to restore from, so nothing was done.`
        : `The backup point ${v.backup_point} was not found among the successful backups of ${vm.name}, so nothing was done. Check the backup ID on your backup request, or ask for "latest".`,
      `Refused: backup point ${v.backup_point} is not a usable backup of ${vm.guid}.`,
    );
  }
  return {
    vm,
    backup,
    params: {
      instanceUuid: v.instance_id,
      instanceName: vm.name,
      backupGuid: backup.guid,
      backupTime: backup.backupTime ?? backup.snapshotTime ?? 0,
      backupType: backup.type,
      overwrite: v.overwrite,
      targetName: v.overwrite ? vm.name : (v.target_name ?? `${vm.name}-restored`),
      flavor: v.flavor,
      network: v.network,
      securityGroups: v.security_groups,
      availabilityZone: v.availability_zone,
    },
  };
}

/** What the restore does, fixed once its task exists (kept in the ledger entry's result). */
interface RestorePlan {
  readonly vmGuid: string;
  readonly vmName: string;
  readonly backupGuid: string;
  readonly backupType: string;
  readonly backupTime: number;
  readonly targetName: string;
  readonly overwrite: boolean;
}

function planOf(r: Resolved): RestorePlan {
  return {
    vmGuid: r.vm.guid,
    vmName: r.vm.name,
    backupGuid: r.backup.guid,
    backupType: r.backup.type,
    backupTime: r.params.backupTime,
    targetName: r.params.targetName,
    overwrite: r.params.overwrite,
  };
}

function isTerminal(value: Resolved | Terminal): value is Terminal {
  return 'kind' in value;
}

const byNameOrId = (wanted: string) => (x: { guid: string; uuid?: string; name?: string }) =>
  x.name === wanted || x.guid === wanted || x.uuid === wanted;

/** Turns the tenant's choices into Storware ids, or says which choice does not exist. */
async function restoreInput(
  deps: RequestDeps,
  r: Resolved,
  v: RestorePointVariables,
  projectUuid: string,
): Promise<Terminal | Parameters<RequestDeps['storware']['createRestoreAndImportTask']>[0]> {
  const hvm = r.vm.hypervisorManager?.guid;
  if (!hvm) {
    throw new Error(`instance ${r.vm.guid} has no hypervisor manager in Storware`);
  }
  let flavorGuid: string | undefined;
  if (v.flavor) {
    const flavor = (await deps.storware.listFlavors(hvm)).find(byNameOrId(v.flavor));
    if (!flavor) {
      return refuse(
        'flavor_not_found',
        `The flavor "${v.flavor}" does not exist for this instance's cloud; order again with another flavor or leave it empty.`,
        `Refused: flavor ${v.flavor} not offered by ${hvm}.`,
      );
    }
    flavorGuid = flavor.guid;
  } else if (!r.vm.flavor) {
    return refuse(
      'flavor_required',
      'The original flavor of this instance is not known, so the restore needs one: order again and choose a flavor.',
      'Refused: no flavor given and none recorded on the instance.',
    );
  }
  let availabilityZoneUuid: string | undefined;
  if (v.availability_zone) {
    const zone = (await deps.storware.listAvailabilityZones(hvm)).find(byNameOrId(v.availability_zone));
    if (!zone) {
      return refuse(
        'availability_zone_not_found',
        `The availability zone "${v.availability_zone}" does not exist; order again with another zone or leave it empty.`,
        `Refused: AZ ${v.availability_zone} unknown.`,
      );
    }
    availabilityZoneUuid = zone.uuid ?? zone.name;
  }
  let networks: RestoredNetworkInput[] | undefined;
  if (v.network || (v.security_groups && v.security_groups.length > 0)) {
    const backup = await deps.storware.getBackup(r.backup.guid);
    const nics = backup.networkInterfaceCards ?? [];
    let networkGuid: string | undefined;
    if (v.network) {
      const network = (await deps.storware.listNetworks(hvm, { projectUuid: projectUuid })).find(
        byNameOrId(v.network),
      );
      if (!network) {
        return refuse(
          'network_not_found',
          `The network "${v.network}" is not available to your project; order again with another network or leave it empty.`,
          `Refused: network ${v.network} not available.`,
        );
      }
      networkGuid = network.guid;
    }
    let groupGuids: string[] | undefined;
    if (v.security_groups && v.security_groups.length > 0) {
      const zone = r.vm.availabilityZone?.guid;
      const settings = zone
        ? await deps.storware.getOpenstackRestoreSettings({
            hypervisorManagerGuid: hvm,
            backupGuid: r.backup.guid,
            clusterGuid: zone,
            projectGuid: r.vm.project?.guid,
          })
        : undefined;
      const offered = settings?.securityGroups ?? [];
      groupGuids = [];
      for (const name of v.security_groups) {
        const group = offered.find(byNameOrId(name));
        if (!group) {
          return refuse(
            'security_group_not_found',
            `The security group "${name}" is not available to your project; order again without it.`,
            `Refused: security group ${name} not offered.`,
          );
        }
        groupGuids.push(group.guid);
      }
    }
    networks = nics.map((nic) => ({
      nicGuid: nic.guid,
      nicName: nic.name,
      networkGuid: networkGuid ?? nic.network?.guid ?? '',
      securityGroupGuids: groupGuids,
    }));
    if (networks.some((n) => n.networkGuid === '')) {
      return refuse(
        'network_required',
        'The backup does not say which network the instance used; order again and choose a network.',
        'Refused: backup NICs without a network and none chosen.',
      );
    }
  }
  return {
    backupGuid: r.backup.guid,
    backupLocationGuid: r.backup.locations.find((l) => l.status === 'PRESENT')?.guid,
    hypervisorManagerGuid: hvm,
    restoredName: r.params.targetName,
    overwrite: r.params.overwrite,
    projectGuid: r.vm.project?.guid,
    availabilityZoneUuid,
    flavorGuid,
    networks,
  };
}

export const restorePointFlow: ItemFlow<'storware_restore_point'> = {
  item: 'storware_restore_point',
  timeWindow: true,
  started: (entry) => RESTORE_STEP in entry.tasks || SAFETY_STEP in entry.tasks,

  async approvalSubject(ctx) {
    const r = await resolve(ctx);
    if (isTerminal(r)) {
      return r;
    }
    const hash = parametersHash(r.params);
    return { hash, packet: approvalPacketText(r.params, hash, ctx.deps.now()) };
  },

  async run(ctx): Promise<StepResult> {
    const { deps, variables: v } = ctx;
    let entry = await ctx.reload();
    // Until the restore task exists, everything is resolved afresh (and the approval gate has
    // checked it is what was approved). Once it exists the plan is fixed: an overwriting restore
    // replaces the instance (new uuid), so it could not be looked up again by its old one.
    let r: Resolved | undefined;
    let plan = (entry.result as { plan?: RestorePlan } | undefined)?.plan;
    if (!(RESTORE_STEP in entry.tasks) || !plan) {
      const resolved = await resolve(ctx);
      if (isTerminal(resolved)) {
        return finish(resolved);
      }
      r = resolved;
      plan = planOf(r);
      await deps.ledger.update(entry.requestId, { result: { plan } });
      entry = await ctx.reload();
    }
    // Overwriting the original: take a safety backup first (when configured), before the restore.
    const needsSafety =
      r !== undefined && deps.config.connector.tuning.safetyBackupBeforeOverwrite && v.overwrite;
    if (r && needsSafety && !(RESTORE_STEP in entry.tasks)) {
      const safety = await ensureTask(deps, entry, {
        step: SAFETY_STEP,
        owner: ctx.owner,
        type: 'EXPORT',
        vmGuid: r.vm.guid,
        ritmOpenedAt: ctx.ritm.openedAt,
        create: ({ tag }) => exportInstance(deps, tag, r.vm.guid, { backupType: 'FULL', priority: 90 }),
      });
      if (safety.kind === 'wait') {
        return safety.wait;
      }
      if (safety.created || safety.adopted) {
        await ctx.ticket(
          { workNote: `Safety backup before overwriting: export task ${safety.task.guid}.` },
          `task:${SAFETY_STEP}`,
        );
      }
      const done = await awaitPhases(deps, entry.requestId, [
        { step: SAFETY_STEP, type: 'EXPORT' },
        { step: 'safety-store', type: 'STORE' },
      ]);
      if (done.kind === 'wait') {
        return done.wait;
      }
      if (done.kind === 'ended') {
        return finish({
          kind: 'failed',
          code: 'safety_backup_failed',
          comment: `The safety backup taken before overwriting ${r.vm.name} failed, so the restore was not started and the instance is unchanged.`,
          workNote: `Safety backup ${done.task.guid} ended ${done.state}: ${done.task.message ?? 'no reason given'}. Restore not started.`,
        });
      }
      entry = await ctx.reload();
    }

    if (r && !(RESTORE_STEP in entry.tasks)) {
      const input = await restoreInput(deps, r, v, ctx.tenant.openStackProjectId);
      if ('kind' in input) {
        return finish(input);
      }
      const ensured = await ensureTask(deps, entry, {
        step: RESTORE_STEP,
        owner: ctx.owner,
        type: 'RESTORE',
        vmGuid: r.vm.guid,
        // A restore is this request's when it restores this request's backup point.
        matches: (task) =>
          task.backup?.guid === r.backup.guid &&
          (task.windowStart ?? task.startTime ?? Infinity) >= adoptionFloor(entry, ctx.ritm.openedAt),
        create: async () =>
          taskOf(await deps.storware.createRestoreAndImportTask(input), 'RESTORE', 'restore'),
      });
      if (ensured.kind === 'wait') {
        return ensured.wait;
      }
      if (ensured.created || ensured.adopted) {
        await ctx.ticket(
          {
            workNote: `Storware restore task ${ensured.task.guid} ${ensured.adopted ? 'adopted' : 'created'}: backup ${r.backup.guid} of ${r.vm.name} → ${r.params.overwrite ? 'overwrite the original' : `new instance "${r.params.targetName}"`}.`,
            comment: `The restore of ${r.vm.name} has started.`,
          },
          `task:${RESTORE_STEP}`,
        );
      }
    }

    const phases = await awaitPhases(deps, ctx.entry.requestId, [
      { step: RESTORE_STEP, type: 'RESTORE' },
      { step: 'import', type: 'IMPORT' },
    ]);
    if (phases.kind === 'wait') {
      return phases.wait;
    }
    if (phases.kind === 'ended') {
      const reason =
        phases.task.message ??
        (phases.state === 'CANCELLED' ? 'the task was cancelled in Storware' : 'no reason given');
      return finish({
        kind: 'failed',
        code: `task_${phases.state.toLowerCase()}`,
        comment: `The restore of ${plan.vmName} did not complete: ${reason}.${plan.overwrite ? ' Contact the service desk to check the instance.' : ' The original instance was not touched.'}`,
        workNote: `${phases.task.type} task ${phases.task.guid} ended ${phases.state}: ${reason}.`,
        closeNotes: `Storware ${phases.task.type} task ${phases.task.guid} ${phases.state} (${reason}).`,
      });
    }
    const first = phases.tasks[0]!;
    const last = phases.tasks[phases.tasks.length - 1]!;
    const duration = last.endedAt !== undefined ? last.endedAt - first.createdAt : undefined;
    const restored = (
      await deps.storware.listVirtualMachines({ projectUuid: ctx.tenant.openStackProjectId })
    ).items.find((vm) => vm.name === plan.targetName && vm.present !== false);
    const taskList = phases.tasks.map((t) => `${t.type} ${t.guid}`).join(', ');
    const safety = (await ctx.reload()).tasks[SAFETY_STEP];
    return finish({
      kind: 'succeeded',
      comment: plan.overwrite
        ? `Your instance ${plan.vmName} was restored from the backup of ${formatWhen(plan.backupTime, ctx.tenant)}.`
        : `Your instance ${plan.vmName} was restored as a new instance "${plan.targetName}"${restored?.uuid ? ` (ID ${restored.uuid})` : ''} from the backup of ${formatWhen(plan.backupTime, ctx.tenant)}. The original was not changed.`,
      workNote: `Restore finished (${taskList}).`,
      closeNotes: [
        `Storware tasks: ${taskList} (FINISHED in ${formatDuration(duration)})`,
        `Backup point: ${plan.backupGuid} (${plan.backupType}, ${formatInstant(plan.backupTime)})`,
        `Target: ${plan.overwrite ? `overwrote ${plan.vmName}` : `new instance ${plan.targetName}${restored?.uuid ? ` (${restored.uuid})` : ''}`}`,
        ...(safety ? [`Safety backup before overwrite: task ${safety.guid}`] : []),
      ].join('\n'),
      result: {
        backupGuid: plan.backupGuid,
        restoredInstance: restored?.uuid,
        restoredName: plan.targetName,
        overwrite: plan.overwrite,
        durationMs: duration,
        tasks: taskList,
      },
    });
  },
};
