/**
 * ServiceNow client: the only module that imports axios for ServiceNow or the generated
 * ServiceNow types. Everything else uses these functions and domain types.
 */
export { createServiceNowClient, type ServiceNowClient, type ServiceNowClientOptions } from './client';
export {
  CLOSED_RITM_STATES,
  RITM_STATE,
  type Approval,
  type ApprovalValue,
  type Company,
  type JournalEntry,
  type ListRequestItemsQuery,
  type RequestItem,
  type RequestItemPage,
  type RequestItemPatch,
  type RitmState,
  type User,
} from './types';
export { formatDateTime, isRitmNumber, isSysId, parseDateTime } from './wire';
