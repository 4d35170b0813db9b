/**
 * Reading a request's outcome back from its ticket.
 *
 * The closing update reaches ServiceNow before the ledger turns terminal (finish.ts,
 * finishRequest). If Redis then loses its last writes (a crash with AOF everysec, a failover to a
 * lagging replica), the ledger says "running" while the ticket is closed, and the re-run would take
 * the closed ticket for a cancellation made in ServiceNow: the status page would say "cancelled" for
 * a backup that succeeded. The closing note carries `[outcome <requestId> <kind>[:<code>]]`
 * (flush-ticket.ts), so the re-run learns what really happened and records it without writing to
 * the ticket again.
 */
import type { RequestDeps } from './deps';
import type { TerminalKind } from './flow';

const KINDS: readonly TerminalKind[] = ['succeeded', 'failed', 'rejected', 'cancelled', 'expired'];

export interface TicketOutcome {
  readonly kind: TerminalKind;
  readonly code?: string;
}

/** `succeeded`, `failed:instance_not_found`: what the closing note records. */
export function formatOutcome(kind: TerminalKind, code?: string): string {
  return code && code !== kind ? `${kind}:${code}` : kind;
}

/** The outcome recorded in a journal text for this request, if any. */
export function parseOutcome(requestId: string, text: string): TicketOutcome | undefined {
  const escaped = requestId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\[outcome ${escaped} ([a-z]+)(?::([a-z0-9_]+))?\\]`).exec(text);
  const kind = match?.[1] as TerminalKind | undefined;
  if (!kind || !KINDS.includes(kind)) {
    return undefined;
  }
  return match?.[2] ? { kind, code: match[2] } : { kind };
}

/** Looks through the ticket's work notes for this request's recorded outcome (newest wins). */
export async function outcomeOnTicket(
  deps: RequestDeps,
  requestId: string,
  ritmSysId: string,
): Promise<TicketOutcome | undefined> {
  const entries = await deps.servicenow.listJournalEntries(ritmSysId, 'work_notes');
  for (const entry of [...entries].reverse()) {
    const outcome = parseOutcome(requestId, entry.value);
    if (outcome) {
      return outcome;
    }
  }
  return undefined;
}
