/**
 * The assembled configuration: environment variables (./env.ts; endpoints and every secret) plus
 * one validated file (./connector-file.ts, `CONNECTOR_CONFIG`).
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
import type { z } from 'zod';
import { ConfigError, type ErrorDetail } from '../errors';
import { describeRedisUrl, parseRedisUrl } from '../redis/redis-url';
import { connectorFileSchema, type ConnectorFile } from './connector-file';
import { envSchema, type ApiToken } from './env';

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
