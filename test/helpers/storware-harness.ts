/**
 * The Storware simulator and a client pointed at it, on a manual clock, for contract tests.
 */
import { createStorwareClient, type StorwareClient } from '../../src/clients/storware';
import { type Logger, silentLogger } from '../../src/logger';
import {
  createManualClock,
  DEFAULT_STORWARE_USERS,
  type ManualClock,
  startStorwareSimulator,
  type StorwareSimulator,
  type StorwareSimulatorOptions,
} from '../../src/simulators/storware';

export const STORWARE_USER = DEFAULT_STORWARE_USERS[0]!.login;
export const STORWARE_PASSWORD = DEFAULT_STORWARE_USERS[0]!.password;

export interface StorwareHarness {
  readonly clock: ManualClock;
  readonly sim: StorwareSimulator;
  readonly client: StorwareClient;
  /** Another client on the same simulator, with its own options. */
  newClient(overrides?: Partial<Parameters<typeof createStorwareClient>[0]>): StorwareClient;
  close(): Promise<void>;
}

export async function startStorwareHarness(
  options: StorwareSimulatorOptions & { readonly timeoutMs?: number; readonly logger?: Logger } = {},
): Promise<StorwareHarness> {
  const clock = createManualClock();
  const sim = await startStorwareSimulator({ now: clock.now, ...options });
  const clients: StorwareClient[] = [];
  const newClient = (overrides: Partial<Parameters<typeof createStorwareClient>[0]> = {}) => {
    const client = createStorwareClient({
      baseUrl: sim.baseUrl,
      user: STORWARE_USER,
      password: STORWARE_PASSWORD,
      timeoutMs: options.timeoutMs ?? 2_000,
      logger: options.logger ?? silentLogger(),
      now: clock.now,
      ...overrides,
    });
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    clock,
    sim,
    client,
    newClient,
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await sim.close();
    },
  };
}

/** The Storware guid of a fixture instance. */
export function vmGuid(sim: StorwareSimulator, instanceUuid: string): string {
  const vm = sim.state.vmByInstanceUuid(instanceUuid);
  if (!vm) {
    throw new Error(`instance ${instanceUuid} is not in the simulated inventory`);
  }
  return vm.guid;
}

/** The session token the simulator handed out, read from what the client sent back. */
export function sentSessionTokens(sim: StorwareSimulator): string[] {
  return sim.server
    .calls()
    .map((c) => c.headers.cookie)
    .filter((c): c is string => typeof c === 'string')
    .map((c) => /JSESSIONID=([^;]+)/.exec(c)?.[1])
    .filter((t): t is string => t !== undefined);
}
