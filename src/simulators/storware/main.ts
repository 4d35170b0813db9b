/**
 * Runs the Storware simulator on its own: `npm run sim:storware`.
 *
 *   PORT                          default 8181 (Storware's HTTPS default port, served as HTTP here)
 *   SIM_SEED                      default 1
 *   SIM_TASK_DURATION_MS          per task, default 1000
 *   SIM_SESSION_TTL_MS            default 1800000
 *   SIM_INVENTORY_SYNC_DELAY_MS   default 60000
 *   SIM_TLS_KEY_FILE, SIM_TLS_CERT_FILE   serve HTTPS with this PEM pair
 */
import { readFileSync } from 'node:fs';
import { startStorwareSimulator } from './index';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  }
  return value;
}

async function main(): Promise<void> {
  const keyFile = process.env.SIM_TLS_KEY_FILE;
  const certFile = process.env.SIM_TLS_CERT_FILE;
  const sim = await startStorwareSimulator({
    port: intEnv('PORT', 8181),
    host: process.env.HOST ?? '127.0.0.1',
    seed: intEnv('SIM_SEED', 1),
    taskDurationMs: intEnv('SIM_TASK_DURATION_MS', 1000),
    sessionTtlMs: intEnv('SIM_SESSION_TTL_MS', 30 * 60_000),
    inventorySyncDelayMs: intEnv('SIM_INVENTORY_SYNC_DELAY_MS', 60_000),
    tls: keyFile && certFile ? { key: readFileSync(keyFile), cert: readFileSync(certFile) } : undefined,
  });
  console.log(`Storware simulator listening: STORWARE_URL=${sim.baseUrl}`);
  console.log(
    `Accounts: ${sim.users.map((u) => u.login).join(', ')} (passwords in src/simulators/storware/index.ts)`,
  );
  console.log(`Hypervisor manager: ${sim.state.hypervisorManagerGuid()}`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
