/**
 * The small HTTP toolkit both simulators are built on: a route table over node:http (the
 * simulators stand in for foreign servers, so they deliberately share nothing with the connector's
 * express app), a record of every call for assertions, and fault injection switchable at run time
 * through an admin endpoint:
 *
 *   GET    /__admin/calls          every recorded call (method, path, query, status, headers, body)
 *   DELETE /__admin/calls          forget them
 *   GET    /__admin/faults         active fault rules
 *   POST   /__admin/faults         add one: { method?, path (regex), status?, body?, headers?,
 *                                   delayMs?, hang?, html?, times? }
 *   DELETE /__admin/faults         remove all
 *
 * Admin paths are not recorded and never faulted. The same operations are available in process
 * through the returned `SimServer` object, which is what tests use.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: Buffer;
  /** Parsed JSON or form body (form → object of strings); undefined when empty or unparsable. */
  readonly body: unknown;
  readonly params: Record<string, string>;
}

export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string | string[]>;
  /** Send `body` as is (a string) instead of JSON. */
  readonly raw?: boolean;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: SimHandler;
}

export interface RecordedCall {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  status: number;
  readonly faulted: boolean;
}

export interface FaultRule {
  readonly method?: string;
  /** Regular expression matched against the path (without query). */
  readonly path: string;
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Added before the answer (or before the normal handling when no status is given). */
  readonly delayMs?: number;
  /** Never answer; the client's timeout must fire. */
  readonly hang?: boolean;
  /** Answer 200 with an HTML page (ServiceNow's hibernating instance). */
  readonly html?: boolean;
  /** How many matching calls it affects; unlimited when absent. */
  times?: number;
}

/** Compiles `/tasks/:guid/state` into a regex with named keys. */
export function route(method: string, path: string, handler: SimHandler): Route {
  const keys: string[] = [];
  const source = path.replace(/:([A-Za-z_]+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export function json(
  status: number,
  body?: unknown,
  headers?: Record<string, string | string[]>,
): SimResponse {
  return { status, body, headers };
}

export interface SimServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  calls(filter?: { method?: string; path?: RegExp | string }): RecordedCall[];
  clearCalls(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export interface SimServerOptions {
  readonly routes: readonly Route[];
  readonly port?: number;
  readonly host?: string;
  /** Answer for unknown routes. */
  readonly notFound?: (req: SimRequest) => SimResponse;
  /** Runs before routing (auth, rate limits); returning a response short-circuits. */
  readonly before?: (req: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;
  /** Keep at most this many recorded calls (oldest dropped). */
  readonly maxRecordedCalls?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Extra simulator-specific admin endpoints under `/__admin/` (not recorded, never faulted). */
  readonly adminRoutes?: readonly Route[];
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) {
    return undefined;
  }
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const HIBERNATING_HTML =
  '<html><head><title>Instance Hibernating page</title></head><body><h1>Your instance is hibernating</h1></body></html>';

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const calls: RecordedCall[] = [];
  let faults: FaultRule[] = [];
  const maxCalls = options.maxRecordedCalls ?? 100_000;
  const sockets = new Set<import('node:net').Socket>();

  function send(res: ServerResponse, answer: SimResponse): void {
    const headers: Record<string, string | string[]> = { ...(answer.headers ?? {}) };
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers);
      res.end();
      return;
    }
    if (answer.raw) {
      res.writeHead(answer.status, headers);
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      return;
    }
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json;charset=UTF-8';
    }
    res.writeHead(answer.status, headers);
    res.end(JSON.stringify(answer.body));
  }

  async function admin(req: SimRequest): Promise<SimResponse> {
    if (req.path === '/__admin/calls') {
      if (req.method === 'DELETE') {
        calls.length = 0;
        return json(204);
      }
      return json(200, calls);
    }
    if (req.path === '/__admin/faults') {
      if (req.method === 'DELETE') {
        faults = [];
        return json(204);
      }
      if (req.method === 'POST') {
        const rule = req.body as FaultRule | undefined;
        if (!rule || typeof rule.path !== 'string') {
          return json(400, { message: 'fault rule needs a "path" regex' });
        }
        faults.push({ ...rule });
        return json(201, rule);
      }
      return json(200, faults);
    }
    for (const r of options.adminRoutes ?? []) {
      const match = r.method === req.method ? r.pattern.exec(req.path) : null;
      if (match) {
        const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(match[i + 1] ?? '')]));
        return r.handler({ ...req, params });
      }
    }
    return Promise.resolve(json(404, { message: 'unknown admin path' }));
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://sim.local');
        const rawBody = Buffer.concat(chunks);
        const base = {
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          rawBody,
          body: parseBody(rawBody, req.headers['content-type']),
        };
        if (base.path.startsWith('/__admin/')) {
          send(res, await admin({ ...base, params: {} }));
          return;
        }
        const fault = faults.find(
          (f) =>
            (f.method === undefined || f.method.toUpperCase() === base.method) &&
            new RegExp(f.path).test(base.path),
        );
        if (fault && fault.times !== undefined) {
          fault.times -= 1;
          if (fault.times <= 0) {
            faults = faults.filter((f) => f !== fault);
          }
        }
        const call: RecordedCall = {
          at: Date.now(),
          method: base.method,
          path: base.path,
          query: Object.fromEntries(url.searchParams),
          headers: { ...req.headers },
          body: base.body,
          status: 0,
          faulted:
            fault !== undefined && (fault.status !== undefined || fault.hang === true || fault.html === true),
        };
        calls.push(call);
        if (calls.length > maxCalls) {
          calls.splice(0, calls.length - maxCalls);
        }
        try {
          if (fault?.delayMs) {
            await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
          }
          if (fault?.hang) {
            call.status = -1;
            return; // The socket stays open until the client gives up or the server closes.
          }
          let answer: SimResponse | undefined;
          if (fault?.html) {
            answer = {
              status: 200,
              body: HIBERNATING_HTML,
              raw: true,
              headers: { 'Content-Type': 'text/html' },
            };
          } else if (fault?.status !== undefined) {
            answer = {
              status: fault.status,
              body: fault.body ?? { message: `injected fault ${fault.status}` },
              headers: fault.headers,
            };
          }
          if (!answer) {
            answer = await options.before?.({ ...base, params: {} });
          }
          if (!answer) {
            for (const r of options.routes) {
              if (r.method !== base.method) {
                continue;
              }
              const match = r.pattern.exec(base.path);
              if (match) {
                const params = Object.fromEntries(
                  r.keys.map((k, i) => [k, decodeURIComponent(match[i + 1] ?? '')]),
                );
                answer = await r.handler({ ...base, params });
                break;
              }
            }
          }
          answer ??= options.notFound?.({ ...base, params: {} }) ?? json(404, { message: 'Not found' });
          call.status = answer.status;
          send(res, answer);
        } catch (error) {
          call.status = 500;
          send(res, json(500, { message: `simulator error: ${(error as Error).message}` }));
        }
      })();
    });
  };
  // TLS is optional so a client's certificate verification can be tested against a private CA.
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    calls(filter) {
      return calls.filter(
        (c) =>
          (filter?.method === undefined || c.method === filter.method.toUpperCase()) &&
          (filter?.path === undefined ||
            (typeof filter.path === 'string' ? c.path === filter.path : filter.path.test(c.path))),
      );
    },
    clearCalls() {
      calls.length = 0;
    },
    addFault(rule) {
      faults.push({ ...rule });
    },
    clearFaults() {
      faults = [];
    },
    close() {
      return new Promise((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      });
    },
  };
}
