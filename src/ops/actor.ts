import type { ApiRole } from '../config';

/** The caller of an ops or agent operation: the token's name is what the audit trail records. */
export interface Actor {
  readonly name: string;
  readonly role: ApiRole;
}

/** Agents read; ops read and act. */
export function mayAct(actor: Actor): boolean {
  return actor.role === 'ops';
}
