import type { ErrorDetail } from '../../errors';
import { defineItem, windowRule } from '../item-definition';

export interface RestorePointVariables {
  readonly instance_id: string;
  /** `latest` or a backup GUID. */
  readonly backup_point: string;
  readonly overwrite: boolean;
  readonly target_name?: string;
  readonly flavor?: string;
  readonly network?: string;
  readonly security_groups?: readonly string[];
  readonly availability_zone?: string;
  readonly window_start?: number;
  readonly window_end?: number;
}

/** "Restore my instance from a backup point": to a new instance, or over the original. */
export const restorePointItem = defineItem<RestorePointVariables>()({
  key: 'storware_restore_point',
  job: 'request.restore-point',
  label: 'Restore',
  noun: 'restore',
  // A restore overwrites data or creates an instance the tenant pays for: it always needs an
  // approval, whatever a connector file says (the config schema refuses turning it off).
  defaultApproval: { required: true, minApprovals: 1, timeoutHours: 72 },
  approvalAlwaysRequired: true,
  requiredVariables: {
    instance_id: 'single_line_text',
    backup_point: 'single_line_text',
    overwrite: 'checkbox',
    target_name: 'single_line_text',
    flavor: 'single_line_text',
    network: 'single_line_text',
    security_groups: 'single_line_text',
    availability_zone: 'single_line_text',
    window_start: 'date_time',
    window_end: 'date_time',
  },
  crossFieldRule: (values) => {
    const problems: ErrorDetail[] = windowRule(values);
    if (values.overwrite === true && values.target_name !== undefined) {
      problems.push({
        path: 'variables.target_name',
        message: 'must be empty when overwriting the original instance (the original keeps its name)',
      });
    }
    return problems;
  },
  // The form takes security groups as one comma-separated line.
  finishVariables: (values) =>
    typeof values.security_groups === 'string'
      ? { ...values, security_groups: values.security_groups.split(',').map((s) => s.trim()) }
      : values,
});
