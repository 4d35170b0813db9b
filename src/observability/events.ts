/**
 * What the connector reports about itself, as typed events: the clients' HTTP layer, the worker
 * pool, intake, the tenant start throttle, the ticket-update sender, the reconciler and the ops
 * actions call the `report…` functions where things happen, and the metrics registry
 * (src/ops/metrics.ts) subscribes.
 *
 * Events travel on node:diagnostics_channel, so instrumented code needs no metrics object handed
 * down, never imports prom-client, and pays only a `hasSubscribers` check while nobody listens.
 * `ConnectorEvents` is the single list of events and payloads: `publish` and `subscribe` are typed
 * against it, so a handler sees the payload its event carries without casting.
 *
 * Payload fields end up as metric labels, so strings are closed sets (operation names, job names,
 * outcome words, config ids), never request or ticket ids.
 */
import {
  channel,
  subscribe as subscribeChannel,
  unsubscribe as unsubscribeChannel,
  type Channel,
} from 'node:diagnostics_channel';

/** One call to Storware or ServiceNow, answered or not. */
export interface UpstreamCallReport {
  readonly system: 'storware' | 'servicenow';
  /** The client's operation name (`listTasks`, `getRequestItem`, …). */
  readonly operation: string;
  /** HTTP status; undefined when no answer came (network error, timeout). */
  readonly status?: number;
  /** Transport error code when there was no answer (`ECONNREFUSED`, `ETIMEDOUT`, …). */
  readonly errorCode?: string;
  readonly durationMs: number;
}

/** How a job attempt ended, as the worker pool saw it. */
export type JobAttemptOutcome = 'completed' | 'delayed' | 'retry' | 'failed' | 'rate_limited';

export interface JobAttemptReport {
  readonly queue: string;
  readonly name: string;
  readonly outcome: JobAttemptOutcome;
  readonly durationMs: number;
}

/** Every event the connector reports, by name, with its payload. */
export interface ConnectorEvents {
  'upstream.call': UpstreamCallReport;
  'job.attempt': JobAttemptReport;
  /** One webhook delivery: the outcome kind and its code, reason or action. */
  'intake.outcome': { readonly outcome: string; readonly reason: string };
  /** Seconds from queueing a ticket update in the outbox to ServiceNow accepting it. */
  'ticket.update_lag': { readonly seconds: number };
  /** Repairs of one kind made by one reconciler sweep. */
  'reconciler.repair': { readonly kind: string; readonly count: number };
  'ops.action': { readonly action: string; readonly outcome: string };
  /** A request had to wait for its tenant's start throttle. */
  'tenant.throttled': { readonly tenant: string };
}

export type ConnectorEventName = keyof ConnectorEvents;

export type ConnectorEventHandler<E extends ConnectorEventName> = (payload: ConnectorEvents[E]) => void;

/**
 * Channel names are process-wide, so they carry the package name; they predate the event names and
 * stay as they are for anything already subscribed to them by name. The mapped type makes a new
 * event without a channel a compile error.
 */
const channels: { readonly [E in ConnectorEventName]: Channel } = {
  'upstream.call': channel('storware-itsm-connector:upstream-call'),
  'job.attempt': channel('storware-itsm-connector:job-attempt'),
  'intake.outcome': channel('storware-itsm-connector:intake-outcome'),
  'ticket.update_lag': channel('storware-itsm-connector:ticket-update-lag'),
  'reconciler.repair': channel('storware-itsm-connector:reconciler-repair'),
  'ops.action': channel('storware-itsm-connector:ops-action'),
  'tenant.throttled': channel('storware-itsm-connector:tenant-throttled'),
};

/** Sends an event to whoever listens; does nothing when nobody does. */
export function publish<E extends ConnectorEventName>(name: E, payload: ConnectorEvents[E]): void {
  const target = channels[name];
  if (target.hasSubscribers) {
    target.publish(payload);
  }
}

/** Calls `handler` for every `name` event from now on; returns the function that stops it. */
export function subscribe<E extends ConnectorEventName>(
  name: E,
  handler: ConnectorEventHandler<E>,
): () => void {
  // diagnostics_channel hands listeners `unknown`. This module is the only publisher on these
  // channels and `publish` accepts nothing but ConnectorEvents[E] for them, so this is the one
  // place the payload type is asserted, instead of in every handler.
  const listener = (message: unknown): void => handler(message as ConnectorEvents[E]);
  const channelName = channels[name].name;
  subscribeChannel(channelName, listener);
  return () => {
    unsubscribeChannel(channelName, listener);
  };
}

// ---------------------------------------------------------------------------------------------
// Report functions: one per event, so call sites read as what happened.
// ---------------------------------------------------------------------------------------------

/** Called by the clients' HTTP layer after every call (src/clients/<system>/http.ts). */
export function reportUpstreamCall(report: UpstreamCallReport): void {
  publish('upstream.call', report);
}

/** Called by the worker pool when an attempt ends, whatever the outcome. */
export function reportJobAttempt(report: JobAttemptReport): void {
  publish('job.attempt', report);
}

/** Called by intake once per delivery: the outcome kind and its code, reason or action. */
export function reportIntakeOutcome(outcome: string, reason: string): void {
  publish('intake.outcome', { outcome, reason });
}

/**
 * Called by the ticket-update sender once per update ServiceNow accepted, with
 * `(now - update.createdAt) / 1000`. A negative or non-finite lag (clock skew between processes,
 * a malformed update) is dropped rather than skewing the histogram.
 */
export function reportTicketUpdateLag(seconds: number): void {
  if (Number.isFinite(seconds) && seconds >= 0) {
    publish('ticket.update_lag', { seconds });
  }
}

/**
 * Called by the reconciler with a short fixed word per kind of repair (`missed_webhook`,
 * `requeued_job`, …) and how many; a sweep that repaired nothing of a kind reports nothing.
 */
export function reportReconcilerRepair(kind: string, count = 1): void {
  if (count > 0) {
    publish('reconciler.repair', { kind, count });
  }
}

/** Called by the ops actions (replay, abandon, cancel, bulk replay, dashboard writes). */
export function reportOpsAction(action: string, outcome: string): void {
  publish('ops.action', { action, outcome });
}

/**
 * Called once per request that has to wait for its tenant's start throttle
 * (src/tenancy/tenant-starts.ts), not on every recheck. The tenant id is a config id, so the label
 * set is closed.
 */
export function reportTenantThrottled(tenant: string): void {
  publish('tenant.throttled', { tenant });
}
