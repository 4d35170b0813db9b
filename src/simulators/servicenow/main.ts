/**
 * `npm run sim:servicenow`: the ServiceNow simulator as a process, for the demo and manual runs.
 *
 *   PORT                  listen port (default 8082; 0 picks a free one)
 *   HOST                  listen address (default 127.0.0.1)
 *   SEED                  seed for generated ids (default 1)
 *   CONNECTOR_URL         where webhooks go (`<url>/webhooks/servicenow`); none: webhooks are recorded as failed
 *   WEBHOOK_SECRETS       whsec_… secrets to sign with, space or comma separated
 *   RATE_LIMIT_PER_HOUR   Table API requests per hour per user (default: no limit)
 *   TOKEN_TTL_SECONDS     OAuth access token lifetime (default 1800)
 *
 * Drive it through /__requester/* (see requester-routes.ts) and inspect /__admin/calls.
 */
import { startServiceNowSimulator, SIM_DEFAULT_CREDENTIALS } from './index';

function optionalInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return undefined;
  }
  if (!/^\d+$/.test(raw.trim())) {
    console.error(`${name} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return Number(raw.trim());
}

async function main(): Promise<void> {
  const sim = await startServiceNowSimulator({
    port: optionalInt('PORT') ?? 8082,
    host: process.env.HOST ?? '127.0.0.1',
    seed: optionalInt('SEED') ?? 1,
    connectorUrl: process.env.CONNECTOR_URL || undefined,
    webhookSecrets: (process.env.WEBHOOK_SECRETS ?? '').split(/[\s,]+/).filter((s) => s !== ''),
    rateLimitPerHour: optionalInt('RATE_LIMIT_PER_HOUR'),
    tokenTtlSeconds: optionalInt('TOKEN_TTL_SECONDS'),
  });
  console.log(`ServiceNow simulator listening on ${sim.url}`);
  console.log(
    `  basic / OAuth password grant user: ${SIM_DEFAULT_CREDENTIALS.user} (password ${SIM_DEFAULT_CREDENTIALS.password})`,
  );
  console.log(
    `  OAuth client: ${SIM_DEFAULT_CREDENTIALS.clientId} (secret ${SIM_DEFAULT_CREDENTIALS.clientSecret})`,
  );
  console.log(`  webhooks to: ${process.env.CONNECTOR_URL || '(none: set CONNECTOR_URL)'}`);

  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('ServiceNow simulator failed to start:', error);
  process.exit(1);
});
