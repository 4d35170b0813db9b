/** The request ledger: see ledger.ts for the key layout and types.ts for the shapes. */
export { createLedger, TIMELINE_CAP, type LedgerOptions } from './ledger';
export * from './types';
