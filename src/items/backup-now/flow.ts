/**
 * Job `request.backup-now`: an on-demand backup of one instance (docs/storware-api.md §6–§7, export).
 *
 * Steps: find the instance in the tenant's project → export task (adopted if an earlier attempt
 * created it) with the backup type, priority and the window → wait for it through the poller →
 * report the new backup point (time, type, size). A backup is EXPORT then STORE on the server side;
 * the backup record is looked up once the export has finished.
 */
import { createHash } from 'node:crypto';
import type { LedgerEntry } from '../../ledger';
import { backupOfExport } from '../../requests/backup-points';
import { findTenantInstance } from '../../requests/instances';
import {
  finish,
  notFoundInProject,
  notFoundTerminal,
  type ItemFlow,
  type StepResult,
} from '../../requests/flow';
import { awaitPhases, ensureTask, exportInstance } from '../../requests/tasks';
import { formatBytes, formatDuration, formatInstant, formatWhen } from '../../requests/wording';

const STEP = 'export';

/** The window the guard settled on in this or an earlier run (read fresh from the ledger). */
function windowOf(entry: LedgerEntry, now: number): { windowStart: number; windowEnd?: number } {
  const w = entry.window as { windowStart?: number; windowEnd?: number | null } | undefined;
  return { windowStart: w?.windowStart ?? now, windowEnd: w?.windowEnd ?? undefined };
}

export const backupNowFlow: ItemFlow<'storware_backup_now'> = {
  item: 'storware_backup_now',
  timeWindow: true,
  started: (entry) => STEP in entry.tasks,

  async approvalSubject(ctx) {
    const v = ctx.variables;
    const vm = await findTenantInstance(ctx.deps, ctx.tenant, v.instance_id, ctx.log);
    if (!vm) {
      return notFoundTerminal(v.instance_id);
    }
    const hash = createHash('sha256')
      .update(
        JSON.stringify([
          v.instance_id.toLowerCase(),
          v.backup_type,
          v.priority,
          v.window_start ?? 0,
          v.window_end ?? 0,
        ]),
      )
      .digest('hex')
      .slice(0, 16);
    return {
      hash,
      packet: [
        'Backup waiting for approval. Approving means this backup will run:',
        `- Instance: ${vm.name} (${v.instance_id})`,
        `- Type: ${v.backup_type}, priority ${v.priority}`,
        `Approval reference: ${hash}. Approvals by the requester or the opener do not count.`,
      ].join('\n'),
    };
  },

  async run(ctx): Promise<StepResult> {
    const { deps, variables: v } = ctx;
    const vm = await findTenantInstance(deps, ctx.tenant, v.instance_id, ctx.log);
    if (!vm) {
      return notFoundInProject(v.instance_id);
    }
    const { windowStart, windowEnd } = windowOf(await ctx.reload(), deps.now());
    const ensured = await ensureTask(deps, ctx.entry, {
      step: STEP,
      owner: ctx.owner,
      type: 'EXPORT',
      vmGuid: vm.guid,
      ritmOpenedAt: ctx.ritm.openedAt,
      create: ({ tag }) =>
        exportInstance(deps, tag, vm.guid, {
          backupType: v.backup_type,
          priority: v.priority,
          windowStart,
          windowEnd,
        }),
    });
    if (ensured.kind === 'wait') {
      return ensured.wait;
    }
    if (ensured.created || ensured.adopted) {
      await ctx.ticket(
        {
          workNote: `Storware export task ${ensured.task.guid} ${ensured.adopted ? 'adopted' : 'created'}: ${v.backup_type} backup of ${vm.name} (${vm.guid}), priority ${v.priority}${windowEnd ? `, must start before ${formatInstant(windowEnd)}` : ''}.`,
          comment: `Your ${v.backup_type.toLowerCase()} backup of ${vm.name} has started.`,
        },
        `task:${STEP}`,
      );
    }

    const phases = await awaitPhases(deps, ctx.entry.requestId, [
      { step: STEP, type: 'EXPORT' },
      { step: 'store', type: 'STORE' },
    ]);
    if (phases.kind === 'wait') {
      return phases.wait;
    }
    if (phases.kind === 'ended') {
      const failed = phases.task;
      const reason =
        failed.message ??
        (phases.state === 'CANCELLED' ? 'the task was cancelled in Storware' : 'no reason given');
      return finish({
        kind: 'failed',
        code: `task_${phases.state.toLowerCase()}`,
        comment: `The backup of ${vm.name} did not complete: ${reason}. Nothing else was changed; you can order it again.`,
        workNote: `${failed.type} task ${failed.guid} ended ${phases.state}: ${reason}.`,
        closeNotes: `Storware ${failed.type} task ${failed.guid} ${phases.state} (${reason}).`,
      });
    }
    const task = phases.tasks[0]!;
    const last = phases.tasks[phases.tasks.length - 1]!;
    const backup = await backupOfExport(deps, vm.guid, task);
    const duration = last.endedAt !== undefined ? last.endedAt - task.createdAt : undefined;
    const taskList = phases.tasks.map((t) => `${t.type} ${t.guid}`).join(', ');
    const when = backup?.backupTime ?? backup?.snapshotTime;
    return finish({
      kind: 'succeeded',
      comment: backup
        ? `Your backup of ${vm.name} is complete: a ${backup.type.toLowerCase()} backup point of ${formatWhen(when ?? 0, ctx.tenant)} (${formatBytes(backup.size)}). Backup ID for restores: ${backup.guid}.`
        : `Your backup of ${vm.name} is complete.`,
      workNote: `Tasks FINISHED (${taskList})${backup ? `; backup ${backup.guid} (${backup.type}, ${formatBytes(backup.size)}, status ${backup.status})` : '; the backup record was not listed yet'}.`,
      closeNotes: [
        `Storware tasks: ${taskList} (FINISHED in ${formatDuration(duration)})`,
        backup
          ? `Backup point: ${backup.guid}, ${backup.type}, ${formatBytes(backup.size)}, taken ${formatInstant(when ?? 0)}`
          : 'Backup point: not yet listed by Storware',
        `Instance: ${vm.name} (${v.instance_id})`,
      ].join('\n'),
      result: {
        taskGuid: task.guid,
        backupGuid: backup?.guid,
        backupType: backup?.type,
        sizeBytes: backup?.size,
        backupTime: when,
        durationMs: duration,
      },
    });
  },
};
