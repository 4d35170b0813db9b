/**
 * Shared pieces of the ServiceNow client and simulator tests: a hand-driven clock (no sleeps), a
 * simulator + client pair on port 0, a log capture for "no secret in any log line", and a tiny
 * webhook receiver standing in for the connector's intake.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createServiceNowClient, type ServiceNowClient } from '../../src/clients/servicenow';
import type { ServiceNowAuth } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import {
  SIM_DEFAULT_CREDENTIALS,
  startServiceNowSimulator,
  type ServiceNowSimulator,
  type ServiceNowSimulatorOptions,
} from '../../src/simulators/servicenow';

/** 2026-03-02 10:15:30 UTC: a fixed start so timestamps in assertions are readable. */
export const START_MS = Date.UTC(2026, 2, 2, 10, 15, 30);

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function testClock(start = START_MS): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(ms) {
      current = ms;
    },
  };
}

export const BASIC_AUTH: ServiceNowAuth = {
  kind: 'basic',
  user: SIM_DEFAULT_CREDENTIALS.user,
  password: SIM_DEFAULT_CREDENTIALS.password,
};

export const PASSWORD_GRANT: ServiceNowAuth = {
  kind: 'oauth-password',
  clientId: SIM_DEFAULT_CREDENTIALS.clientId,
  clientSecret: SIM_DEFAULT_CREDENTIALS.clientSecret,
  user: SIM_DEFAULT_CREDENTIALS.user,
  password: SIM_DEFAULT_CREDENTIALS.password,
};

export const CLIENT_CREDENTIALS: ServiceNowAuth = {
  kind: 'oauth-client-credentials',
  clientId: SIM_DEFAULT_CREDENTIALS.clientId,
  clientSecret: SIM_DEFAULT_CREDENTIALS.clientSecret,
};

/** Every secret the tests use, to search errors and logs for. */
export const SECRETS = [SIM_DEFAULT_CREDENTIALS.password, SIM_DEFAULT_CREDENTIALS.clientSecret];

export interface LogCapture {
  readonly logger: Logger;
  readonly lines: string[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

export interface Pair {
  readonly sim: ServiceNowSimulator;
  readonly client: ServiceNowClient;
  readonly clock: TestClock;
  readonly logs: LogCapture;
  close(): Promise<void>;
}

export async function startPair(
  options: { auth?: ServiceNowAuth; timeoutMs?: number; sim?: ServiceNowSimulatorOptions } = {},
): Promise<Pair> {
  const clock = testClock();
  const sim = await startServiceNowSimulator({ now: clock.now, ...options.sim });
  const logs = captureLogs();
  const client = createServiceNowClient({
    baseUrl: sim.url,
    auth: options.auth ?? BASIC_AUTH,
    timeoutMs: options.timeoutMs ?? 2_000,
    logger: logs.logger,
    now: clock.now,
  });
  return { sim, client, clock, logs, close: () => sim.close() };
}

/** Awaits a rejection and returns it, failing the test when the promise resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a result');
}

/** Everything reachable from an error, as text: message, own fields, cause chain. */
export function errorText(error: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '');
    }
    parts.push(JSON.stringify(current, Object.getOwnPropertyNames(current)));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Status the next answers use (default 202). */
  status: number;
  close(): Promise<void>;
}

/** A stand-in for the connector's intake: records each POST and answers `{ ok: true }`. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const state = { status: 202 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/webhooks/servicenow' && req.method === 'POST') {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      }
      res.writeHead(state.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, n: received.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
