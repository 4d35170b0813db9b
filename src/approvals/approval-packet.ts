/**
 * The approval packet: what an approver must know before approving a restore (instance, backup
 * point and its age, target, overwrite or not), posted on the ticket, and a hash of exactly those
 * parameters. An approval counts only for the packet it was given on: if the parameters change
 * afterwards (a variable edited, "latest" now meaning a newer backup), the hash changes and earlier
 * approvals no longer count (Commvault's Multi-Person Authorization binds approvals the same way).
 */
import { createHash } from 'node:crypto';

export interface RestoreParameters {
  readonly instanceUuid: string;
  readonly instanceName: string;
  readonly backupGuid: string;
  readonly backupTime: number;
  readonly backupType: string;
  readonly overwrite: boolean;
  readonly targetName: string;
  readonly flavor?: string;
  readonly network?: string;
  readonly securityGroups?: readonly string[];
  readonly availabilityZone?: string;
}

/** Stable hash: keys sorted, absent values normalised, so equal parameters hash equally. */
export function parametersHash(params: RestoreParameters): string {
  const canonical = {
    availabilityZone: params.availabilityZone ?? '',
    backupGuid: params.backupGuid,
    flavor: params.flavor ?? '',
    instanceUuid: params.instanceUuid.toLowerCase(),
    network: params.network ?? '',
    overwrite: params.overwrite,
    securityGroups: [...(params.securityGroups ?? [])].sort(),
    targetName: params.targetName,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

function age(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) {
    return `${Math.max(1, Math.floor(ms / 60_000))} minutes`;
  }
  if (hours < 48) {
    return `${hours} hours`;
  }
  return `${Math.floor(hours / 24)} days`;
}

/** The text approvers and agents read on the ticket. */
export function approvalPacketText(params: RestoreParameters, hash: string, now: number): string {
  const lines = [
    'Restore waiting for approval. Approving means this exact restore will run:',
    `- Instance: ${params.instanceName} (${params.instanceUuid})`,
    `- Backup point: ${params.backupType} backup of ${new Date(params.backupTime).toISOString().slice(0, 16).replace('T', ' ')} UTC (${age(now - params.backupTime)} old), id ${params.backupGuid}`,
    params.overwrite
      ? '- Target: OVERWRITE the original instance (its current disks are replaced)'
      : `- Target: a new instance named "${params.targetName}" (the original is left untouched)`,
  ];
  if (params.flavor) {
    lines.push(`- Flavor: ${params.flavor}`);
  }
  if (params.network) {
    lines.push(`- Network: ${params.network}`);
  }
  if (params.securityGroups && params.securityGroups.length > 0) {
    lines.push(`- Security groups: ${params.securityGroups.join(', ')}`);
  }
  if (params.availabilityZone) {
    lines.push(`- Availability zone: ${params.availabilityZone}`);
  }
  lines.push(
    `Approval reference: ${hash}. Approvals by the requester or by the person who opened the request do not count. If these parameters change, earlier approvals no longer count.`,
  );
  return lines.join('\n');
}
