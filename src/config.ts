/**
 * Configuration: environment variables (endpoints and every secret) plus one validated file
 * (`CONNECTOR_CONFIG`: tenants, maintenance windows, policy tiers, approval rules, tuning).
 *
 * `loadConfig` is pure (environment and file reader are arguments), runs once per process in the
 * entry point and its result is passed down; nothing reads `process.env` anywhere else. A bad
 * configuration fails the start with *every* problem listed by path, so an operator fixes them all
 * in one go rather than one restart at a time. Secrets are accepted only from the environment: the
 * file schema is strict and has no field that could hold one.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError, type ErrorDetail } from './errors';
import { CATALOG_ITEM_KEYS, ITEM_DEFINITIONS, type CatalogItemKey } from './items/definitions';
import { describeRedisUrl, parseRedisUrl } from './redis/connection';

export const API_ROLES = ['agent', 'ops'] as const;
export type ApiRole = (typeof API_ROLES)[number];

// ---------------------------------------------------------------------------------------------
// The connector file (CONNECTOR_CONFIG)
// ---------------------------------------------------------------------------------------------

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const SYS_ID = /^[0-9a-f]{32}$/;
// Keystone project ids are 32 hex digits; some deployments show them dashed like a UUID.
const PROJECT_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const maintenanceWindowSchema = z
  .object({
    /** Days on which the window *opens*; a window that crosses midnight ends the next day. */
    days: z.array(z.enum(WEEKDAYS)).min(1, 'list at least one day'),
    start: z.string().regex(CLOCK, 'use HH:MM (24-hour clock)'),
    end: z.string().regex(CLOCK, 'use HH:MM (24-hour clock)'),
    timeZone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Warsaw)'),
  })
  .strict()
  .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] });
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

const approvalRuleSchema = z
  .object({
    required: z.boolean(),
    /** Distinct approvers, none of them the requester or the opener. */
    minApprovals: z.number().int().min(1).max(10).default(1),
    /** How long a request waits for a decision before it closes incomplete. */
    timeoutHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(72),
  })
  .strict();
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

/** One optional rule per catalog item; items whose approval cannot be switched off refuse `false`. */
const approvalRulesSchema = z
  .object(
    Object.fromEntries(
      CATALOG_ITEM_KEYS.map((key) => [
        key,
        ITEM_DEFINITIONS[key].approvalAlwaysRequired
          ? approvalRuleSchema
              .refine((rule) => rule.required, {
                path: ['required'],
                message: `${ITEM_DEFINITIONS[key].noun}s always require approval; remove the line or set it to true`,
              })
              .optional()
          : approvalRuleSchema.optional(),
      ]),
    ) as Record<CatalogItemKey, z.ZodOptional<typeof approvalRuleSchema>>,
  )
  .strict();

const policyTierSchema = z
  .object({
    policyGuid: z.string().regex(GUID, 'must be a Storware policy GUID'),
    description: z.string().max(200).optional(),
  })
  .strict();

const tenantSchema = z
  .object({
    /** Short stable name used in the ledger, metrics and logs. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1).max(200),
    /** sys_id of the requester's `core_company` in ServiceNow. */
    serviceNowCompany: z.string().regex(SYS_ID, 'must be a 32-hex ServiceNow sys_id'),
    openStackProjectId: z.string().regex(PROJECT_ID, 'must be a Keystone project id (32 hex digits)'),
    /** Empty or absent: work may run at any time. */
    maintenanceWindows: z.array(maintenanceWindowSchema).default([]),
    approvals: approvalRulesSchema.default({}),
    /** Tier name → policy, overriding the global tiers for this tenant only. */
    policyTiers: z.record(z.string(), policyTierSchema).default({}),
    /** Storware steps this tenant may start per minute; overrides tuning.tenantStartsPerMinute. */
    startsPerMinute: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type TenantConfig = z.infer<typeof tenantSchema>;

const tuningSchema = z
  .object({
    /** How often running Storware tasks are polled (one paged list call per interval). */
    pollIntervalSeconds: z.number().int().min(1).max(300).default(5),
    /** How often a request waiting for approval re-reads its approvals (ritm.updated also wakes it). */
    approvalRecheckSeconds: z.number().int().min(1).max(3600).default(300),
    /** How often a request waiting for a new instance re-checks Storware's inventory. */
    inventoryRecheckSeconds: z.number().int().min(1).max(3600).default(30),
    /** How long "protect a new instance" waits for the instance to appear in Storware's inventory. */
    protectWaitMinutes: z
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(30),
    /** Ask Storware to sync the inventory while waiting for a new instance. */
    protectTriggerInventorySync: z.boolean().default(true),
    /** Run a backup of the original before a restore that overwrites it. */
    safetyBackupBeforeOverwrite: z.boolean().default(false),
    /** Attempts for a job step before it lands in the failed set. */
    jobAttempts: z.number().int().min(1).max(50).default(8),
    /** Cap for the exponential backoff between attempts. */
    maxBackoffSeconds: z.number().int().min(1).max(3600).default(300),
    /** At most one progress note per ticket per this many seconds. */
    progressNoteIntervalSeconds: z.number().int().min(0).max(3600).default(60),
    /** RITM field written when a flow owns the state and refuses ours (e.g. u_storware_status); none by default. */
    serviceNowFallbackStateField: z
      .string()
      .regex(/^u_[a-z0-9_]{1,60}$|^x_[a-z0-9_]{1,80}$/, 'a custom field name such as u_storware_status')
      .optional(),
    /** Table API calls per hour the connector may spend (stay under the instance's rate-limit rule). */
    serviceNowHourlyBudget: z.number().int().min(10).default(3000),
    /** How long webhook dedupe keys live. ServiceNow and Standard Webhooks senders retry for days. */
    dedupeRetentionDays: z
      .number()
      .min(3, 'must be at least 3 days to outlive sender retries')
      .max(90)
      .default(7),
    /** How long a finished request stays in the ledger. */
    ledgerRetentionDays: z.number().min(1).max(365).default(30),
    /** Reconciler sweep interval; 0 turns it off. */
    reconcileIntervalSeconds: z.number().int().min(0).max(86400).default(300),
    /** How far back the reconciler looks for RITMs without a ledger entry. */
    reconcileLookbackDays: z.number().min(1).max(30).default(3),
    /** Requests one tenant may start (first Storware call) per minute; later ones wait their turn
     * so one tenant's burst cannot monopolise Storware. 0 = no limit. */
    tenantStartsPerMinute: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type Tuning = z.infer<typeof tuningSchema>;

export const connectorFileSchema = z
  .object({
    tenants: z.array(tenantSchema).min(1, 'configure at least one tenant'),
    policyTiers: z.record(z.string(), policyTierSchema).default({}),
    approvals: approvalRulesSchema.default({}),
    tuning: tuningSchema.default(tuningSchema.parse({})),
  })
  .strict()
  // Runs once the shape is valid (zod skips refinements of a failed object): duplicates are
  // reported on the start after the shape problems are fixed.
  .superRefine((file, ctx) => {
    const seen = {
      id: new Map<string, number>(),
      company: new Map<string, number>(),
      project: new Map<string, number>(),
    };
    file.tenants.forEach((tenant, index) => {
      for (const [key, value] of [
        ['id', tenant.id],
        ['company', tenant.serviceNowCompany],
        ['project', tenant.openStackProjectId.replaceAll('-', '').toLowerCase()],
      ] as const) {
        const first = seen[key].get(value);
        if (first !== undefined) {
          const field = key === 'id' ? 'id' : key === 'company' ? 'serviceNowCompany' : 'openStackProjectId';
          ctx.addIssue({
            code: 'custom',
            path: ['tenants', index, field],
            message: `duplicates tenants[${first}].${field}; each tenant needs its own`,
          });
        } else {
          seen[key].set(value, index);
        }
      }
    });
  });
export type ConnectorFile = z.infer<typeof connectorFileSchema>;

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

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

const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: intEnv(8080, 0, 65535),
  /** One server (redis://, rediss://), a Redis Cluster (redis+cluster://host1:port1,host2:port2,…)
   * or a Sentinel-managed primary (redis+sentinel://host1:port1,…/<master>); see src/redis.ts. */
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
  /** All queue and ledger keys live under this prefix. The braces are a Redis Cluster hash tag:
   * every key of the connector lands in one slot, so multi-key scripts never hit CROSSSLOT. */
  QUEUE_PREFIX: z
    .string()
    .default('{sic}')
    .refine((v) => /^\{[A-Za-z0-9_.-]+\}/.test(v), 'must start with a hash tag such as {sic}'),
  STORWARE_URL: httpUrl,
  STORWARE_USER: z.string({ error: 'is required' }).min(1, 'is required'),
  STORWARE_PASSWORD: z.string({ error: 'is required' }).min(1, 'is required'),
  STORWARE_CA_FILE: optionalString,
  STORWARE_TIMEOUT_MS: intEnv(30_000, 100, 600_000),
  SERVICENOW_URL: httpUrl,
  SERVICENOW_USER: optionalString,
  SERVICENOW_PASSWORD: optionalString,
  SERVICENOW_CLIENT_ID: optionalString,
  SERVICENOW_CLIENT_SECRET: optionalString,
  SERVICENOW_TIMEOUT_MS: intEnv(30_000, 100, 600_000),
  WEBHOOK_SECRETS: webhookSecretList,
  WEBHOOK_TOLERANCE_SECONDS: intEnv(300, 1, 3600),
  WEBHOOK_MAX_BODY_BYTES: intEnv(65_536, 1024, 10 * 1024 * 1024),
  /** Weaker fallback for instances that cannot sign (see README): off unless turned on here. */
  WEBHOOK_BASIC_AUTH: boolEnv(false),
  WEBHOOK_BASIC_USER: optionalString,
  WEBHOOK_BASIC_PASSWORD: optionalString,
  API_TOKENS: apiTokenList,
  CONNECTOR_CONFIG: z
    .string({ error: 'is required (path to the tenants file)' })
    .min(1, 'is required (path to the tenants file)'),
  /** Workers per process for Storware steps. */
  WORKER_CONCURRENCY: intEnv(20, 1, 500),
  /** How long a worker holds a job before others may take it over (BullMQ lockDuration). A
   * crashed worker's jobs come back after about this long; keep it above the longest event-loop
   * stall you expect. */
  WORKER_LOCK_DURATION_MS: intEnv(30_000, 1_000, 600_000),
  /** How many times a job may come back from a dead or frozen worker (BullMQ maxStalledCount)
   * before it is failed as "stalled more than allowable limit". A request run is idempotent and
   * resumable, so a stall costs only time; the limit is there to stop a job that kills every
   * worker it runs on. */
  WORKER_MAX_STALLED_COUNT: intEnv(10, 1, 1000),
  /** Webhook deliveries per minute per sender credential, shared by every API process (S3);
   * over it the answer is 429 with Retry-After, which the sender's retry honours. 0 = off. */
  RATE_LIMIT_WEBHOOK_PER_MINUTE: intEnv(3_000, 0, 10_000_000),
  /** Service API calls per minute per token (and status/dashboard pages per session). 0 = off. */
  RATE_LIMIT_API_PER_MINUTE: intEnv(600, 0, 10_000_000),
  /** Sign-in attempts per minute per client address on the status-page login. 0 = off. */
  RATE_LIMIT_LOGIN_PER_MINUTE: intEnv(10, 0, 10_000),
  /** Serve /metrics without a token (only on a scrape network nobody else reaches). */
  METRICS_PUBLIC: boolEnv(false),
  /** Port of a metrics-only listener for `start worker` processes; 0 = off. */
  METRICS_PORT: intEnv(0, 0, 65535),
  /** How long ops audit records are kept. */
  AUDIT_RETENTION_DAYS: intEnv(90, 1, 3650),
  /** Lifetime of a status-page / dashboard browser session. */
  OPS_SESSION_TTL_MINUTES: intEnv(480, 5, 10080),
  /** Secure flag on the session cookie; unset = on in production. */
  OPS_COOKIE_SECURE: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v))),
  /** Status page auto-refresh in seconds; 0 = off. */
  STATUS_REFRESH_SECONDS: intEnv(15, 0, 3600),
});

/**
 * Rules across variables. They run on the raw environment, separately from the schema, so they are
 * reported even when other variables are also wrong (zod skips refinements of a failed object).
 */
function crossFieldProblems(raw: Record<string, string | undefined>): ErrorDetail[] {
  const has = (name: string) => (raw[name]?.trim() ?? '') !== '';
  const problems: ErrorDetail[] = [];
  const user = has('SERVICENOW_USER');
  const password = has('SERVICENOW_PASSWORD');
  const clientId = has('SERVICENOW_CLIENT_ID');
  const clientSecret = has('SERVICENOW_CLIENT_SECRET');
  if (user !== password) {
    problems.push({
      path: user ? 'SERVICENOW_PASSWORD' : 'SERVICENOW_USER',
      message: 'SERVICENOW_USER and SERVICENOW_PASSWORD go together',
    });
  }
  if (clientId !== clientSecret) {
    problems.push({
      path: clientId ? 'SERVICENOW_CLIENT_SECRET' : 'SERVICENOW_CLIENT_ID',
      message: 'SERVICENOW_CLIENT_ID and SERVICENOW_CLIENT_SECRET go together',
    });
  }
  if (!user && !password && !clientId && !clientSecret) {
    problems.push({
      path: 'SERVICENOW_USER',
      message:
        'set SERVICENOW_USER/SERVICENOW_PASSWORD (basic or OAuth password grant) or SERVICENOW_CLIENT_ID/SERVICENOW_CLIENT_SECRET',
    });
  }
  const basic = ['true', '1', 'yes', 'enabled'].includes(raw.WEBHOOK_BASIC_AUTH?.trim() ?? '');
  if (basic && (!has('WEBHOOK_BASIC_USER') || !has('WEBHOOK_BASIC_PASSWORD'))) {
    problems.push({
      path: 'WEBHOOK_BASIC_USER',
      message: 'WEBHOOK_BASIC_AUTH is on: set WEBHOOK_BASIC_USER and WEBHOOK_BASIC_PASSWORD (16+ characters)',
    });
  } else if (basic && (raw.WEBHOOK_BASIC_PASSWORD?.trim() ?? '').length < 16) {
    problems.push({ path: 'WEBHOOK_BASIC_PASSWORD', message: 'must be at least 16 characters' });
  }
  if (!has('WEBHOOK_SECRETS') && !basic) {
    problems.push({
      path: 'WEBHOOK_SECRETS',
      message: 'is required: one or more whsec_… secrets, space or comma separated',
    });
  }
  if ((raw.NODE_ENV ?? '') === 'production' && !has('REDIS_URL')) {
    problems.push({ path: 'REDIS_URL', message: 'is required in production' });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The assembled configuration
// ---------------------------------------------------------------------------------------------

export type ServiceNowAuth =
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | {
      readonly kind: 'oauth-password';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly user: string;
      readonly password: string;
    }
  | { readonly kind: 'oauth-client-credentials'; readonly clientId: string; readonly clientSecret: string };

export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly logLevel: string;
  readonly http: { readonly port: number };
  readonly redis: { readonly url: string; readonly prefix: string };
  readonly storware: {
    readonly url: string;
    readonly user: string;
    readonly password: string;
    /** PEM text of the extra CA to trust (read at start so a missing file fails the start). */
    readonly ca: string | undefined;
    readonly caFile: string | undefined;
    readonly timeoutMs: number;
  };
  readonly servicenow: { readonly url: string; readonly auth: ServiceNowAuth; readonly timeoutMs: number };
  readonly webhook: {
    readonly secrets: readonly string[];
    readonly toleranceSeconds: number;
    readonly maxBodyBytes: number;
    readonly basicAuth: { readonly user: string; readonly password: string } | undefined;
  };
  readonly apiTokens: readonly ApiToken[];
  /** Requests per minute; 0 = that limit is off. */
  readonly rateLimits: { readonly webhook: number; readonly api: number; readonly login: number };
  readonly workers: {
    readonly concurrency: number;
    readonly lockDurationMs: number;
    readonly maxStalledCount: number;
  };
  readonly ops: {
    readonly metricsPublic: boolean;
    readonly metricsPort: number;
    readonly auditRetentionDays: number;
    readonly sessionTtlMinutes: number;
    readonly secureCookies: boolean;
    readonly statusRefreshSeconds: number;
  };
  readonly connector: ConnectorFile;
  readonly connectorFile: string;
}

export interface LoadConfigOptions {
  /** Reads a file as UTF-8; injectable so tests need no files on disk. */
  readonly readFile?: (path: string) => string;
  /** Resolves relative paths in the environment (CONNECTOR_CONFIG, STORWARE_CA_FILE). */
  readonly cwd?: string;
}

function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix: string): ErrorDetail[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return { path: `${prefix}${path.replace(/^\./, '')}`, message: issue.message };
  });
}

/** Parses the connector file's text (YAML, of which JSON is a subset). */
export function parseConnectorFile(
  text: string,
  source: string,
): { file?: ConnectorFile; problems: ErrorDetail[] } {
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: false });
  } catch (error) {
    return {
      problems: [
        { path: source, message: `not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}` },
      ],
    };
  }
  const parsed = connectorFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return { problems: issuesToDetails(parsed.error.issues, source) };
  }
  return { file: parsed.data, problems: [] };
}

/**
 * Builds the whole configuration or throws one ConfigError naming every problem.
 * Never falls back to simulators or defaults for endpoints: a production start with a missing
 * variable must stop, not quietly talk to the wrong place.
 */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const cwd = options.cwd ?? process.cwd();
  const problems: ErrorDetail[] = [];

  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) {
    problems.push(...issuesToDetails(parsedEnv.error.issues, ''));
  }
  problems.push(...crossFieldProblems(env));

  // The file is read even when the environment has problems, so one start lists both.
  let connector: ConnectorFile | undefined;
  const filePath = env.CONNECTOR_CONFIG?.trim();
  const absoluteFile = filePath ? (isAbsolute(filePath) ? filePath : resolve(cwd, filePath)) : undefined;
  if (absoluteFile) {
    let text: string | undefined;
    try {
      text = readFile(absoluteFile);
    } catch (error) {
      problems.push({
        path: 'CONNECTOR_CONFIG',
        message: `cannot read ${filePath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      });
    }
    if (text !== undefined) {
      const result = parseConnectorFile(text, 'CONNECTOR_CONFIG:');
      problems.push(...result.problems);
      connector = result.file;
    }
  }

  let ca: string | undefined;
  const caFile = env.STORWARE_CA_FILE?.trim();
  if (caFile) {
    try {
      ca = readFile(isAbsolute(caFile) ? caFile : resolve(cwd, caFile));
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        problems.push({ path: 'STORWARE_CA_FILE', message: 'does not contain a PEM certificate' });
      }
    } catch (error) {
      problems.push({
        path: 'STORWARE_CA_FILE',
        message: `cannot read ${caFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      });
    }
  }

  if (problems.length > 0 || !parsedEnv.success || connector === undefined || absoluteFile === undefined) {
    throw new ConfigError(problems);
  }
  const e = parsedEnv.data;

  let auth: ServiceNowAuth;
  if (e.SERVICENOW_CLIENT_ID && e.SERVICENOW_CLIENT_SECRET && e.SERVICENOW_USER && e.SERVICENOW_PASSWORD) {
    auth = {
      kind: 'oauth-password',
      clientId: e.SERVICENOW_CLIENT_ID,
      clientSecret: e.SERVICENOW_CLIENT_SECRET,
      user: e.SERVICENOW_USER,
      password: e.SERVICENOW_PASSWORD,
    };
  } else if (e.SERVICENOW_CLIENT_ID && e.SERVICENOW_CLIENT_SECRET) {
    auth = {
      kind: 'oauth-client-credentials',
      clientId: e.SERVICENOW_CLIENT_ID,
      clientSecret: e.SERVICENOW_CLIENT_SECRET,
    };
  } else {
    auth = { kind: 'basic', user: e.SERVICENOW_USER ?? '', password: e.SERVICENOW_PASSWORD ?? '' };
  }

  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: { port: e.PORT },
    redis: { url: e.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: e.QUEUE_PREFIX },
    storware: {
      url: e.STORWARE_URL.replace(/\/+$/, ''),
      user: e.STORWARE_USER,
      password: e.STORWARE_PASSWORD,
      ca,
      caFile,
      timeoutMs: e.STORWARE_TIMEOUT_MS,
    },
    servicenow: { url: e.SERVICENOW_URL.replace(/\/+$/, ''), auth, timeoutMs: e.SERVICENOW_TIMEOUT_MS },
    webhook: {
      secrets: e.WEBHOOK_SECRETS,
      toleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS,
      maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
      basicAuth:
        e.WEBHOOK_BASIC_AUTH && e.WEBHOOK_BASIC_USER && e.WEBHOOK_BASIC_PASSWORD
          ? { user: e.WEBHOOK_BASIC_USER, password: e.WEBHOOK_BASIC_PASSWORD }
          : undefined,
    },
    apiTokens: e.API_TOKENS,
    rateLimits: {
      webhook: e.RATE_LIMIT_WEBHOOK_PER_MINUTE,
      api: e.RATE_LIMIT_API_PER_MINUTE,
      login: e.RATE_LIMIT_LOGIN_PER_MINUTE,
    },
    workers: {
      concurrency: e.WORKER_CONCURRENCY,
      lockDurationMs: e.WORKER_LOCK_DURATION_MS,
      maxStalledCount: e.WORKER_MAX_STALLED_COUNT,
    },
    ops: {
      metricsPublic: e.METRICS_PUBLIC,
      metricsPort: e.METRICS_PORT,
      auditRetentionDays: e.AUDIT_RETENTION_DAYS,
      sessionTtlMinutes: e.OPS_SESSION_TTL_MINUTES,
      secureCookies: e.OPS_COOKIE_SECURE ?? e.NODE_ENV === 'production',
      statusRefreshSeconds: e.STATUS_REFRESH_SECONDS,
    },
    connector,
    connectorFile: absoluteFile,
  };
}

/** What is safe to log at start: endpoints and counts, never a secret. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    env: config.env,
    port: config.http.port,
    redis: describeRedisUrl(config.redis.url),
    redisTopology: parseRedisUrl(config.redis.url).topology,
    prefix: config.redis.prefix,
    storware: config.storware.url,
    storwareCustomCa: config.storware.caFile !== undefined,
    servicenow: config.servicenow.url,
    servicenowAuth: config.servicenow.auth.kind,
    webhookSecrets: config.webhook.secrets.length,
    webhookBasicAuth: config.webhook.basicAuth !== undefined,
    apiTokens: config.apiTokens.map((t) => `${t.name}(${t.role})`),
    tenants: config.connector.tenants.map((t) => t.id),
    connectorFile: config.connectorFile,
  };
}
