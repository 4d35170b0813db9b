/**
 * Settings of the service-desk and ops surface: the environment's values (`config.ops`, with their
 * defaults in src/config/env.ts), and `startApi`'s own overrides on top (tests).
 */
import type { Config } from '../config';

export interface OpsOptions {
  /** Serve `/metrics` without a token (METRICS_PUBLIC): only on a scrape network nobody else reaches. */
  readonly metricsPublic: boolean;
  /** How long audit records are kept (AUDIT_RETENTION_DAYS). */
  readonly auditRetentionDays: number;
  /** Lifetime of a browser session from the status page login (OPS_SESSION_TTL_MINUTES). */
  readonly sessionTtlMinutes: number;
  /** Mark the session cookie `Secure` (OPS_COOKIE_SECURE); on by default in production. */
  readonly secureCookies: boolean;
  /** Auto-refresh of the status page in seconds; 0 turns it off. */
  readonly statusRefreshSeconds: number;
}

export function resolveOpsOptions(config: Config, overrides: Partial<OpsOptions> = {}): OpsOptions {
  const { metricsPublic, auditRetentionDays, sessionTtlMinutes, secureCookies, statusRefreshSeconds } =
    config.ops;
  return {
    metricsPublic,
    auditRetentionDays,
    sessionTtlMinutes,
    secureCookies,
    statusRefreshSeconds,
    ...definedOnly(overrides),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
