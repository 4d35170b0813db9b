/**
 * `config check`: everything that would stop or cripple a start, found before the start. Loads the
 * environment and the connector file exactly as the processes do (every problem listed), then
 * reaches what the connector depends on, each with a short deadline:
 *   - Redis: a PING;
 *   - Storware: a login with the service account, then every configured policy tier's policy;
 *   - ServiceNow: an authenticated read of every tenant's company (cheap, and proves the mapping).
 * Never prints a secret: problems name variables and ids, not values.
 */
import type { ServiceNowClient } from '../clients/servicenow';
import { createServiceNowClient } from '../clients/servicenow';
import type { StorwareClient } from '../clients/storware';
import { createStorwareClient } from '../clients/storware';
import { loadConfig, type Config, type LoadConfigOptions } from '../config';
import { ConfigError, isAppError, UpstreamError } from '../errors';
import { silentLogger } from '../logger';
import { redisReachable } from '../redis/connection';

export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly summary: string;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

export interface ConfigCheckOptions extends LoadConfigOptions {
  readonly env: Record<string, string | undefined>;
  /** Deadline per remote call (default 5 s). */
  readonly timeoutMs?: number;
}

function describeError(error: unknown): string {
  if (error instanceof UpstreamError) {
    return `${error.message}${error.status ? ` (HTTP ${error.status})` : ''}`;
  }
  return isAppError(error) ? error.message : (error as Error).message;
}

function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.apiTokens.length === 0) {
    warnings.push('API_TOKENS is empty: the service API, status page and dashboard refuse everyone');
  } else if (!config.apiTokens.some((t) => t.role === 'ops')) {
    warnings.push('API_TOKENS has no ops token: nobody can replay or abandon failed work');
  }
  if (config.webhook.secrets.length === 0 && config.webhook.basicAuth === undefined) {
    warnings.push('WEBHOOK_SECRETS is empty and Basic mode is off: every webhook will be refused');
  }
  if (config.env === 'production' && config.storware.url.startsWith('http:')) {
    warnings.push('STORWARE_URL uses plain http in production');
  }
  return warnings;
}

async function checkStorware(config: Config, timeoutMs: number): Promise<CheckResult> {
  const client: StorwareClient = createStorwareClient({
    baseUrl: config.storware.url,
    user: config.storware.user,
    password: config.storware.password,
    ca: config.storware.ca,
    timeoutMs: Math.min(config.storware.timeoutMs, timeoutMs),
    logger: silentLogger(),
  });
  try {
    await client.login();
    const guids = new Map<string, string>();
    for (const [tier, t] of Object.entries(config.connector.policyTiers)) {
      guids.set(t.policyGuid, `policyTiers.${tier}`);
    }
    for (const tenant of config.connector.tenants) {
      for (const [tier, t] of Object.entries(tenant.policyTiers)) {
        guids.set(t.policyGuid, `tenants.${tenant.id}.policyTiers.${tier}`);
      }
    }
    const problems: string[] = [];
    for (const [guid, where] of guids) {
      try {
        await client.getVmBackupPolicy(guid);
      } catch (error) {
        problems.push(`${where}: policy ${guid} is not readable in Storware (${describeError(error)})`);
      }
    }
    await client.logout().catch(() => undefined);
    return {
      name: 'storware',
      status: problems.length === 0 ? 'ok' : 'failed',
      summary: `logged in to ${config.storware.url} as ${config.storware.user}; ${guids.size} policy tier(s) checked`,
      problems,
      warnings: [],
    };
  } catch (error) {
    return {
      name: 'storware',
      status: 'failed',
      summary: `cannot log in to ${config.storware.url}`,
      problems: [describeError(error)],
      warnings: [],
    };
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function checkServiceNow(config: Config, timeoutMs: number): Promise<CheckResult> {
  const client: ServiceNowClient = createServiceNowClient({
    baseUrl: config.servicenow.url,
    auth: config.servicenow.auth,
    timeoutMs: Math.min(config.servicenow.timeoutMs, timeoutMs),
    logger: silentLogger(),
  });
  const problems: string[] = [];
  try {
    for (const tenant of config.connector.tenants.slice(0, 50)) {
      const company = await client.getCompany(tenant.serviceNowCompany);
      if (!company) {
        problems.push(
          `tenants.${tenant.id}: company ${tenant.serviceNowCompany} not found (or hidden from the integration user)`,
        );
      }
    }
  } catch (error) {
    return {
      name: 'servicenow',
      status: 'failed',
      summary: `cannot read from ${config.servicenow.url} (${config.servicenow.auth.kind} auth)`,
      problems: [describeError(error)],
      warnings: [],
    };
  }
  return {
    name: 'servicenow',
    status: problems.length === 0 ? 'ok' : 'failed',
    summary: `read ${config.connector.tenants.length} tenant compan${config.connector.tenants.length === 1 ? 'y' : 'ies'} from ${config.servicenow.url} (${config.servicenow.auth.kind} auth)`,
    problems,
    warnings: [],
  };
}

export async function checkConfiguration(options: ConfigCheckOptions): Promise<CheckResult[]> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let config: Config;
  try {
    config = loadConfig(options.env, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    const skipped = (name: string): CheckResult => ({
      name,
      status: 'skipped',
      summary: 'skipped: fix the configuration first',
      problems: [],
      warnings: [],
    });
    return [
      {
        name: 'configuration',
        status: 'failed',
        summary: `${error.details.length} problem(s) in the environment or CONNECTOR_CONFIG`,
        problems: error.details.map((d) => `${d.path ?? '(root)'}: ${d.message}`),
        warnings: [],
      },
      skipped('redis'),
      skipped('storware'),
      skipped('servicenow'),
    ];
  }
  const redisOk = await redisReachable(config.redis.url, timeoutMs);
  const redisUrl = new URL(config.redis.url);
  redisUrl.password = redisUrl.password ? '***' : '';
  const [storware, servicenow] = await Promise.all([
    checkStorware(config, timeoutMs),
    checkServiceNow(config, timeoutMs),
  ]);
  return [
    {
      name: 'configuration',
      status: 'ok',
      summary: `${config.connector.tenants.length} tenant(s), ${config.apiTokens.length} API token(s), file ${config.connectorFile}`,
      problems: [],
      warnings: configWarnings(config),
    },
    {
      name: 'redis',
      status: redisOk ? 'ok' : 'failed',
      summary: redisOk ? `${redisUrl.toString()} answers` : `${redisUrl.toString()} does not answer PING`,
      problems: redisOk ? [] : [`no answer within ${timeoutMs} ms`],
      warnings: [],
    },
    storware,
    servicenow,
  ];
}
