/**
 * Job `request.protect-vm`: put a newly provisioned instance under the tenant's policy for the
 * requested tier as soon as Storware's inventory lists it, and optionally run its first backup.
 *
 * A new instance appears in Storware only after an inventory sync (docs/storware-api.md §5; the
 * simulator models the delay). The job waits for it as a delayed job, bounded by
 * `tuning.protectWaitMinutes`, asking Storware for an inventory sync once when configured to.
 * Assigning the policy is idempotent (a VM already in the policy is left as is); the policy is set
 * through the VM's settings (`vmBackupPolicy`), the documented way for one VM (docs/storware-api.md §5).
 */
import { createHash } from 'node:crypto';
import { findTenantInstance } from '../../requests/instances';
import { finish, type ItemFlow, type StepResult } from '../../requests/flow';
import { awaitPhases, ensureTask, exportInstance, taskOf } from '../../requests/tasks';
import { policyForTier } from '../../tenancy/tenants';
import { formatBytes, formatInstant } from '../../requests/wording';
import { backupOfExport } from '../../requests/backup-points';

const SYNC_STEP = 'inventory-sync';
const FIRST_BACKUP_STEP = 'first-backup';
const POLICY_STEP = 'policy-assigned';

export const protectVmFlow: ItemFlow<'storware_protect_vm'> = {
  item: 'storware_protect_vm',
  timeWindow: false,
  started: (entry) => entry.step === POLICY_STEP || FIRST_BACKUP_STEP in entry.tasks,

  approvalSubject(ctx) {
    const v = ctx.variables;
    const hash = createHash('sha256')
      .update(JSON.stringify([v.instance_id.toLowerCase(), v.policy_tier, v.first_backup]))
      .digest('hex')
      .slice(0, 16);
    return Promise.resolve({
      hash,
      packet: [
        'Protection waiting for approval. Approving means:',
        `- Instance ${v.instance_id} is added to the ${v.policy_tier} backup policy`,
        v.first_backup
          ? '- and its first backup runs right away'
          : '- its first backup runs on the policy schedule',
        `Approval reference: ${hash}. Approvals by the requester or the opener do not count.`,
      ].join('\n'),
    });
  },

  async run(ctx): Promise<StepResult> {
    const { deps, variables: v, tenant } = ctx;
    const tuning = deps.config.connector.tuning;
    const policy = policyForTier(deps.config.connector, tenant, v.policy_tier);
    if (!policy) {
      return finish({
        kind: 'failed',
        code: 'tier_not_configured',
        comment: `The ${v.policy_tier} tier is not offered for your project. Choose another tier or contact the service desk.`,
        workNote: `Refused: tier ${v.policy_tier} has no policy for tenant ${tenant.id} in the connector configuration.`,
      });
    }

    const vm = await findTenantInstance(deps, tenant, v.instance_id, ctx.log);
    const now = deps.now();
    if (!vm) {
      const deadline = ctx.entry.createdAt + tuning.protectWaitMinutes * 60_000;
      if (now >= deadline) {
        return finish({
          kind: 'expired',
          code: 'instance_not_in_inventory',
          comment: `Your instance ${v.instance_id} did not appear in the backup system within ${tuning.protectWaitMinutes} minutes, or it is not in your project, so it is not protected yet. Check the instance ID and order again.`,
          workNote: `Instance ${v.instance_id} not listed in project ${tenant.openStackProjectId} after ${tuning.protectWaitMinutes} min.`,
        });
      }
      if (tuning.protectTriggerInventorySync && !(SYNC_STEP in ctx.entry.tasks)) {
        const managers = (await deps.storware.listHypervisorManagers()).filter(
          (m) => (m.type ?? 'OPENSTACK') === 'OPENSTACK',
        );
        const manager = managers[0];
        if (manager) {
          const sync = await ensureTask(deps, ctx.entry, {
            step: SYNC_STEP,
            owner: ctx.owner,
            type: 'INVENTORY_SYNC',
            vmGuid: undefined,
            create: async () =>
              taskOf(
                await deps.storware.createInventorySyncTask(manager.guid),
                'INVENTORY_SYNC',
                'inventory sync',
              ),
          });
          if (sync.kind === 'task') {
            await ctx.event(
              'inventory.sync',
              `Inventory sync task ${sync.task.guid} for ${manager.name ?? manager.guid}`,
            );
          }
        }
      }
      await ctx.ticket(
        {
          workNote: `Waiting for instance ${v.instance_id} to appear in Storware's inventory (until ${formatInstant(deadline)}).`,
          comment: `Waiting for your new instance to appear in the backup system; this usually takes a few minutes (at most ${tuning.protectWaitMinutes}).`,
        },
        'waiting-inventory',
      );
      return {
        kind: 'wait',
        until: Math.min(deadline, now + tuning.inventoryRecheckSeconds * 1000),
        state: 'waiting_inventory',
      };
    }

    if (ctx.entry.step !== POLICY_STEP && !(FIRST_BACKUP_STEP in ctx.entry.tasks)) {
      if (vm.vmBackupPolicy?.guid !== policy.policyGuid) {
        await deps.storware.assignVmBackupPolicy(vm.guid, policy.policyGuid);
      }
      await deps.ledger.update(
        ctx.entry.requestId,
        { step: POLICY_STEP, state: 'running' },
        {
          type: 'policy.assigned',
          message: `Policy ${policy.policyGuid} (${v.policy_tier}) assigned to ${vm.name}`,
        },
      );
      await ctx.ticket(
        {
          workNote: `Instance ${vm.name} (${vm.guid}) assigned to the ${v.policy_tier} policy ${policy.policyGuid}${vm.vmBackupPolicy?.guid === policy.policyGuid ? ' (it already was)' : ''}.`,
        },
        'policy',
      );
    }

    let firstBackup: string | undefined;
    if (v.first_backup) {
      const entry = await ctx.reload();
      const ensured = await ensureTask(deps, entry, {
        step: FIRST_BACKUP_STEP,
        owner: ctx.owner,
        type: 'EXPORT',
        vmGuid: vm.guid,
        ritmOpenedAt: ctx.ritm.openedAt,
        create: ({ tag }) => exportInstance(deps, tag, vm.guid, { backupType: 'FULL', priority: 50 }),
      });
      if (ensured.kind === 'wait') {
        return ensured.wait;
      }
      if (ensured.created || ensured.adopted) {
        await ctx.ticket(
          { workNote: `First backup: export task ${ensured.task.guid}.` },
          `task:${FIRST_BACKUP_STEP}`,
        );
      }
      const phases = await awaitPhases(deps, entry.requestId, [
        { step: FIRST_BACKUP_STEP, type: 'EXPORT' },
        { step: 'first-store', type: 'STORE' },
      ]);
      if (phases.kind === 'wait') {
        return phases.wait;
      }
      if (phases.kind === 'ended') {
        const reason = phases.task.message ?? 'no reason given';
        return finish({
          kind: 'failed',
          code: 'first_backup_failed',
          comment: `Your instance ${vm.name} is now in the ${v.policy_tier} backup policy, but its first backup failed (${reason}); the policy's schedule will back it up, or order "Back up my instance now".`,
          workNote: `Policy assigned; first backup ${phases.task.guid} ended ${phases.state}: ${reason}.`,
          closeNotes: `Policy ${policy.policyGuid} assigned to ${vm.guid}; first backup task ${phases.task.guid} ${phases.state}.`,
        });
      }
      const backup = await backupOfExport(deps, vm.guid, phases.tasks[0]!);
      firstBackup = backup
        ? `${backup.guid} (${backup.type}, ${formatBytes(backup.size)})`
        : `task ${phases.tasks[0]!.guid}`;
    }

    return finish({
      kind: 'succeeded',
      comment: `Your instance ${vm.name} is protected by the ${v.policy_tier} backup policy${policy.description ? ` (${policy.description})` : ''}.${firstBackup ? ' Its first backup is complete.' : ' Backups follow the policy schedule.'}`,
      workNote: `Protected: ${vm.name} in policy ${policy.policyGuid}${firstBackup ? `; first backup ${firstBackup}` : ''}.`,
      closeNotes: [
        `Instance: ${vm.name} (${v.instance_id}), Storware VM ${vm.guid}`,
        `Policy: ${v.policy_tier} → ${policy.policyGuid}`,
        ...(firstBackup ? [`First backup: ${firstBackup}`] : []),
      ].join('\n'),
      result: { policyGuid: policy.policyGuid, tier: v.policy_tier, vmGuid: vm.guid, firstBackup },
    });
  },
};
