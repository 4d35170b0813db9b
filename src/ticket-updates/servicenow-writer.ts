/**
 * The ticket writer over the ServiceNow client: the flusher's only way to ServiceNow.
 */
import type { RequestItemPatch, RitmState, ServiceNowClient } from '../clients/servicenow';
import type { TicketWriter } from './flush-ticket';

export function serviceNowTicketWriter(client: ServiceNowClient): TicketWriter {
  return {
    async currentState(ritmSysId) {
      return (await client.getRequestItem(ritmSysId))?.state;
    },
    async patch(ritmSysId, fields) {
      const { state, work_notes, comments, correlation_id, correlation_display, close_notes, ...custom } =
        fields;
      const patch: RequestItemPatch = {
        ...(state !== undefined ? { state: Number(state) as RitmState } : {}),
        work_notes,
        comments,
        correlation_id,
        correlation_display,
        close_notes,
        ...(Object.keys(custom).length > 0 ? { custom } : {}),
      };
      await client.updateRequestItem(ritmSysId, patch);
    },
    async journalContains(ritmSysId, text) {
      const entries = await client.listJournalEntries(ritmSysId);
      return entries.some((e) => e.value.includes(text));
    },
  };
}
