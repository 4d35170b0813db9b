import { defineItem, windowRule } from '../item-definition';

export interface BackupNowVariables {
  readonly instance_id: string;
  readonly backup_type: 'FULL' | 'INCREMENTAL';
  readonly priority: number;
  /** Epoch ms, UTC. */
  readonly window_start?: number;
  readonly window_end?: number;
}

/** "Back up my instance now": an on-demand FULL or INCREMENTAL backup of one instance. */
export const backupNowItem = defineItem<BackupNowVariables>()({
  key: 'storware_backup_now',
  job: 'request.backup-now',
  label: 'Backup',
  noun: 'backup',
  defaultApproval: { required: false, minApprovals: 1, timeoutHours: 72 },
  approvalAlwaysRequired: false,
  requiredVariables: {
    instance_id: 'single_line_text',
    backup_type: 'select_box',
    priority: 'single_line_text',
    window_start: 'date_time',
    window_end: 'date_time',
  },
  crossFieldRule: windowRule,
});
