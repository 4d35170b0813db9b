import { defineItem } from '../item-definition';

export interface ProtectVmVariables {
  readonly instance_id: string;
  readonly policy_tier: string;
  readonly first_backup: boolean;
}

/** "Protect my new instance": put it under the tier's policy once Storware lists it. */
export const protectVmItem = defineItem<ProtectVmVariables>()({
  key: 'storware_protect_vm',
  job: 'request.protect-vm',
  label: 'Protection',
  noun: 'protection',
  defaultApproval: { required: false, minApprovals: 1, timeoutHours: 72 },
  approvalAlwaysRequired: false,
  requiredVariables: {
    instance_id: 'single_line_text',
    policy_tier: 'select_box',
    first_backup: 'checkbox',
  },
});
