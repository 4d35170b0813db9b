/**
 * The whole system on one machine, in one process: both simulators on free ports, the connector's
 * API and workers, against a given Redis. The demo, the end-to-end tests and the benchmarks all
 * start it, so they exercise exactly what production runs, only with simulated neighbours.
 * Never used by the production entry points.
 */
import { randomBytes } from 'node:crypto';
import { startApi, type ApiProcess } from '../processes/api';
import { loadConfig, type Config } from '../config';
import type { Logger } from '../logger';
import { closeAll } from '../processes/shutdown';
import {
  startServiceNowSimulator,
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
} from '../simulators/servicenow';
import {
  DEFAULT_STORWARE_USERS,
  startStorwareSimulator,
  type StorwareSimulator,
  type StorwareSimulatorOptions,
} from '../simulators/storware';
import { SIM_DEFAULT_CREDENTIALS } from '../simulators/servicenow';
import { startWorkerRuntime, type WorkerRuntime, type WorkerRuntimeOptions } from '../processes/worker';
import { FIXTURE } from '../simulators/fixture-ids';

export interface LocalStackOptions {
  readonly redisUrl: string;
  /** Key prefix (a hash tag); tests pass a unique one. */
  readonly prefix: string;
  readonly logger: Logger;
  /** The connector file (YAML); defaults to the simulators' tenants with fast tuning. */
  readonly connectorYaml?: string;
  /** Extra environment for the connector (overrides). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly storware?: StorwareSimulatorOptions;
  readonly servicenow?: ServiceNowSimulatorOptions;
  /** Start the workers in this process (default true). */
  readonly workers?: boolean;
  readonly workerOptions?: WorkerRuntimeOptions;
  /** API port (default: a free one). */
  readonly apiPort?: number;
}

export interface LocalStack {
  readonly config: Config;
  readonly storware: StorwareSimulator;
  readonly servicenow: ServiceNowSimulator;
  readonly api: ApiProcess;
  readonly apiUrl: string;
  readonly workers: WorkerRuntime | undefined;
  readonly webhookSecret: string;
  /** The connector's environment (secrets included) and file, for starting more processes. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connectorYaml: string;
  close(): Promise<void>;
}

/** Fast tuning for a stack on one machine: polls every second, short waits. */
export function localConnectorYaml(tuning: Record<string, number | boolean | string> = {}): string {
  const t = {
    pollIntervalSeconds: 1,
    approvalRecheckSeconds: 2,
    inventoryRecheckSeconds: 1,
    protectWaitMinutes: 2,
    jobAttempts: 4,
    maxBackoffSeconds: 2,
    progressNoteIntervalSeconds: 2,
    serviceNowHourlyBudget: 1_000_000,
    reconcileIntervalSeconds: 0,
    ...tuning,
  };
  const tuningYaml = Object.entries(t)
    .map(([k, v]) => `  ${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
  return `
policyTiers:
  gold: { policyGuid: ${FIXTURE.policies.gold.guid}, description: 'daily, kept 30 days' }
  silver: { policyGuid: ${FIXTURE.policies.silver.guid}, description: 'daily, kept 14 days' }
  bronze: { policyGuid: ${FIXTURE.policies.bronze.guid}, description: 'weekly, kept 4 weeks' }
approvals:
  storware_restore_point: { required: true, minApprovals: 1, timeoutHours: 72 }
tenants:
  - id: acme
    name: ${FIXTURE.companies.acme.name}
    serviceNowCompany: ${FIXTURE.companies.acme.sysId}
    openStackProjectId: ${FIXTURE.projects.acme.id}
  - id: globex
    name: ${FIXTURE.companies.globex.name}
    serviceNowCompany: ${FIXTURE.companies.globex.sysId}
    openStackProjectId: ${FIXTURE.projects.globex.id}
tuning:
${tuningYaml}
`;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const storware = await startStorwareSimulator({
    port: 0,
    taskDurationMs: 300,
    inventorySyncDelayMs: 5_000,
    ...options.storware,
  });
  const servicenow = await startServiceNowSimulator({
    port: 0,
    webhookSecrets: [webhookSecret],
    ...options.servicenow,
  });
  const storwareUser = DEFAULT_STORWARE_USERS[0]!;
  const connectorYaml = options.connectorYaml ?? localConnectorYaml();
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    PORT: String(options.apiPort ?? 0),
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.prefix,
    STORWARE_URL: storware.baseUrl,
    STORWARE_USER: storwareUser.login,
    STORWARE_PASSWORD: storwareUser.password,
    STORWARE_TIMEOUT_MS: '5000',
    SERVICENOW_URL: servicenow.url,
    SERVICENOW_USER: SIM_DEFAULT_CREDENTIALS.user,
    SERVICENOW_PASSWORD: SIM_DEFAULT_CREDENTIALS.password,
    SERVICENOW_TIMEOUT_MS: '5000',
    WEBHOOK_SECRETS: webhookSecret,
    API_TOKENS: `desk:agent:${randomBytes(18).toString('hex')},oncall:ops:${randomBytes(18).toString('hex')}`,
    CONNECTOR_CONFIG: '/local-stack/connector.yaml',
    ...options.env,
  };
  let config: Config;
  try {
    config = loadConfig(env, {
      readFile: (path) => (path === '/local-stack/connector.yaml' ? connectorYaml : ''),
    });
  } catch (error) {
    await Promise.all([storware.close(), servicenow.close()]);
    throw error;
  }
  const api = await startApi(config, options.logger.child({ process: 'api' }), { host: '127.0.0.1' });
  const apiUrl = `http://127.0.0.1:${api.http.port}`;
  servicenow.webhooks.setConnectorUrl(apiUrl);
  const workers =
    options.workers === false
      ? undefined
      : await startWorkerRuntime(config, options.logger.child({ process: 'worker' }), options.workerOptions);
  return {
    config,
    storware,
    servicenow,
    api,
    apiUrl,
    workers,
    webhookSecret,
    env,
    connectorYaml,
    async close() {
      await closeAll(
        [
          ...api.closers,
          ...(workers?.closers ?? []),
          { name: 'servicenow-simulator', close: () => servicenow.close() },
          { name: 'storware-simulator', close: () => storware.close() },
        ],
        options.logger,
        15_000,
      );
    },
  };
}
