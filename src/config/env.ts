/**
 * The environment: endpoints, every secret, and process-level settings. `envSchema` checks each
 * variable on its own; ./load.ts runs it and adds the rules across variables.
 *
 * Numbers, booleans and lists arrive as strings; the helpers below parse them, take an empty value
 * as unset and carry their own range and message.
 */
import { z } from 'zod';
import { parseRedisUrl } from '../redis/redis-url';

export const API_ROLES = ['agent', 'ops'] as const;
export type ApiRole = (typeof API_ROLES)[number];

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

function boolEnv(defaultValue: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'enabled', 'disabled', ''])
    .optional()
    .transform((v) =>
      v === undefined || v === '' ? defaultValue : ['true', '1', 'yes', 'enabled'].includes(v),
    );
}

function intEnv(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') {
        return defaultValue;
      }
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
}

const httpUrl = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials in it');

const webhookSecretList = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const secrets = (raw ?? '').split(/[\s,]+/).filter((s) => s !== '');
    secrets.forEach((secret, index) => {
      if (!secret.startsWith('whsec_')) {
        ctx.addIssue({ code: 'custom', message: `secret #${index + 1} must start with "whsec_"` });
        return;
      }
      const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
      if (bytes.length < 24 || bytes.length > 64) {
        ctx.addIssue({
          code: 'custom',
          message: `secret #${index + 1} must encode 24 to 64 random bytes in base64 (has ${bytes.length})`,
        });
      }
    });
    return secrets;
  });

export interface ApiToken {
  readonly name: string;
  readonly role: ApiRole;
  readonly token: string;
}

const apiTokenList = z
  .string()
  .optional()
  .transform((raw, ctx): ApiToken[] => {
    const entries = (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const tokens: ApiToken[] = [];
    entries.forEach((entry, index) => {
      // name:role:token — the token itself may not contain ':' so the split is unambiguous.
      const parts = entry.split(':');
      const [name, role, token] = parts;
      if (parts.length !== 3 || !name || !role || !token) {
        ctx.addIssue({ code: 'custom', message: `entry #${index + 1} must look like name:role:token` });
        return;
      }
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `entry #${index + 1}: name may hold letters, digits, . _ -`,
        });
      }
      if (!(API_ROLES as readonly string[]).includes(role)) {
        ctx.addIssue({ code: 'custom', message: `entry #${index + 1} (${name}): role must be agent or ops` });
      }
      if (token.length < 24) {
        ctx.addIssue({
          code: 'custom',
          message: `entry #${index + 1} (${name}): token must be at least 24 characters`,
        });
      }
      if (tokens.some((t) => t.name === name)) {
        ctx.addIssue({ code: 'custom', message: `entry #${index + 1}: name "${name}" is used twice` });
      }
      tokens.push({ name, role: role as ApiRole, token });
    });
    return tokens;
  });

// Problems are reported in key order; keep the order when adding variables.
export const envSchema = z.object({
  // Process; NODE_ENV=production makes REDIS_URL required and the session cookie Secure
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), // pino
  PORT: intEnv(8080, 0, 65535), // HTTP port of the API process

  // Redis (queues, ledger, dedupe keys, rate limits); unset = redis://127.0.0.1:6379, not in production
  // One server (redis://, rediss://), a Redis Cluster (redis+cluster://host1:port1,host2:port2,…) or
  // a Sentinel-managed primary (redis+sentinel://host1:port1,…/<master>); see src/redis/redis-url.ts.
  REDIS_URL: optionalString.superRefine((v, ctx) => {
    if (v === undefined) {
      return;
    }
    try {
      parseRedisUrl(v);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: /^[a-z+]+:\/\//i.test(v)
          ? (error as Error).message
          : 'must start with redis://, rediss://, redis+cluster:// or redis+sentinel://',
      });
    }
  }),
  // All queue and ledger keys live under this prefix. The braces are a Redis Cluster hash tag:
  // every key of the connector lands in one slot, so multi-key scripts never hit CROSSSLOT.
  QUEUE_PREFIX: z
    .string()
    .default('{sic}')
    .refine((v) => /^\{[A-Za-z0-9_.-]+\}/.test(v), 'must start with a hash tag such as {sic}'),

  // Storware Backup and Recovery (required)
  STORWARE_URL: httpUrl, // the REST API, e.g. https://host:8181/api; no credentials in the URL
  STORWARE_USER: z.string({ error: 'is required' }).min(1, 'is required'), // service account
  STORWARE_PASSWORD: z.string({ error: 'is required' }).min(1, 'is required'), // service account
  STORWARE_CA_FILE: optionalString, // PEM of a private CA to trust; read at start
  STORWARE_TIMEOUT_MS: intEnv(30_000, 100, 600_000), // per API call

  // ServiceNow: user + password (basic, or OAuth password grant with a client id + secret too) or
  // client id + secret alone (OAuth client credentials); ./load.ts checks the pairs
  SERVICENOW_URL: httpUrl, // the instance, e.g. https://example.service-now.com
  SERVICENOW_USER: optionalString, // goes with SERVICENOW_PASSWORD
  SERVICENOW_PASSWORD: optionalString, // goes with SERVICENOW_USER
  SERVICENOW_CLIENT_ID: optionalString, // OAuth; goes with SERVICENOW_CLIENT_SECRET
  SERVICENOW_CLIENT_SECRET: optionalString, // OAuth; goes with SERVICENOW_CLIENT_ID
  SERVICENOW_TIMEOUT_MS: intEnv(30_000, 100, 600_000), // per API call

  // Incoming webhooks (Standard Webhooks signatures)
  WEBHOOK_SECRETS: webhookSecretList, // whsec_… secrets, space or comma separated; two during a rotation
  WEBHOOK_TOLERANCE_SECONDS: intEnv(300, 1, 3600), // accepted clock difference for signed webhooks
  WEBHOOK_MAX_BODY_BYTES: intEnv(65_536, 1024, 10 * 1024 * 1024), // largest webhook body
  WEBHOOK_BASIC_AUTH: boolEnv(false), // weaker fallback for instances that cannot sign (see README)
  WEBHOOK_BASIC_USER: optionalString, // with WEBHOOK_BASIC_AUTH only
  WEBHOOK_BASIC_PASSWORD: optionalString, // with WEBHOOK_BASIC_AUTH only; 16+ characters

  // Service API
  API_TOKENS: apiTokenList, // name:role:token,…; role agent (read) or ops (read and act)

  // The connector file: tenants, windows, tiers, approvals, tuning (./connector-file.ts)
  CONNECTOR_CONFIG: z
    .string({ error: 'is required (path to the tenants file)' })
    .min(1, 'is required (path to the tenants file)'),

  // Workers
  WORKER_CONCURRENCY: intEnv(20, 1, 500), // workers per process for Storware steps
  // How long a worker holds a job before others may take it over (BullMQ lockDuration). A crashed
  // worker's jobs come back after about this long; keep it above the longest event-loop stall.
  WORKER_LOCK_DURATION_MS: intEnv(30_000, 1_000, 600_000),
  // How many times a job may come back from a dead or frozen worker (BullMQ maxStalledCount)
  // before it is failed as "stalled more than allowable limit". A request run is idempotent and
  // resumable, so a stall costs only time; the limit stops a job that kills every worker it runs on.
  WORKER_MAX_STALLED_COUNT: intEnv(10, 1, 1000),

  // Rate limits per minute, shared by every API process (S3); 0 = off. Over a limit the answer is
  // 429 with Retry-After, which a webhook sender's retry honours.
  RATE_LIMIT_WEBHOOK_PER_MINUTE: intEnv(3_000, 0, 10_000_000), // webhook deliveries per sender credential
  RATE_LIMIT_API_PER_MINUTE: intEnv(600, 0, 10_000_000), // service API calls per token (pages per session)
  RATE_LIMIT_LOGIN_PER_MINUTE: intEnv(10, 0, 10_000), // status-page sign-ins per client address

  // Ops surface: metrics, audit, status page and dashboard
  METRICS_PUBLIC: boolEnv(false), // /metrics without a token (only on a scrape network nobody else reaches)
  METRICS_PORT: intEnv(0, 0, 65535), // metrics-only listener for `start worker` processes; 0 = off
  AUDIT_RETENTION_DAYS: intEnv(90, 1, 3650), // how long ops audit records are kept
  OPS_SESSION_TTL_MINUTES: intEnv(480, 5, 10080), // lifetime of a status-page / dashboard session
  // Secure flag on the session cookie; unset = on in production
  OPS_COOKIE_SECURE: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v))),
  STATUS_REFRESH_SECONDS: intEnv(15, 0, 3600), // status page auto-refresh in seconds; 0 = off
});
