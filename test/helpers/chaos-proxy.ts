/**
 * A small fault-injecting HTTP proxy (a Toxiproxy for one upstream), put between the connector's
 * worker processes and a simulator. The simulators can refuse or delay a call *before* handling it;
 * the proxy adds what they cannot: the upstream did the work and the answer is late or lost
 * (`delayResponseMs`, `resetAfterUpstream`) — the window between "Storware created the task" and
 * "the worker recorded it" that R2 and R9 are about. Loopback only.
 */
import { createServer, request, Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyRule {
  readonly method?: string;
  /** Regular expression on the path (without query). */
  readonly path: string;
  /** Hold the request this long before forwarding it. */
  readonly delayRequestMs?: number;
  /** Forward, let the upstream answer, then hold the answer this long. */
  readonly delayResponseMs?: number;
  /** Forward, let the upstream answer, then cut the client's connection: the answer is lost. */
  readonly resetAfterUpstream?: boolean;
  /** Matching calls affected; unlimited when absent. */
  times?: number;
}

/** One request and its answer as the proxy passed them on (for tests that look for secrets). */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly responseHeaders: IncomingHttpHeaders;
  readonly responseBody: Buffer;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Calls `listener` (as well as any earlier ones) with every exchange from now on. */
  record(listener: (exchange: Exchange) => void): void;
  addRule(rule: ProxyRule): void;
  clearRules(): void;
  /** How many calls a rule (by index of addition) affected, and all calls seen. */
  stats(): { forwarded: number; delayed: number; reset: number };
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let rules: ProxyRule[] = [];
  const recorders: Array<(exchange: Exchange) => void> = [];
  const stats = { forwarded: 0, delayed: 0, reset: 0 };
  const sockets = new Set<Socket>();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function take(method: string, path: string): ProxyRule | undefined {
    const rule = rules.find(
      (r) => (r.method === undefined || r.method.toUpperCase() === method) && new RegExp(r.path).test(path),
    );
    if (rule && rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) {
        rules = rules.filter((r) => r !== rule);
      }
    }
    return rule;
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const method = (req.method ?? 'GET').toUpperCase();
        const path = new URL(req.url ?? '/', 'http://proxy.local').pathname;
        const rule = take(method, path);
        if (rule?.delayRequestMs) {
          stats.delayed += 1;
          await sleep(rule.delayRequestMs);
        }
        const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
        const body = Buffer.concat(chunks);
        const answer = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
          (resolve, reject) => {
            const out = request(
              {
                protocol: upstream.protocol,
                hostname: upstream.hostname,
                port: upstream.port,
                method,
                path: req.url,
                headers,
                agent,
              },
              (up) => {
                const parts: Buffer[] = [];
                up.on('data', (c: Buffer) => parts.push(c));
                up.on('end', () =>
                  resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(parts) }),
                );
                up.on('error', reject);
              },
            );
            out.on('error', reject);
            out.end(body);
          },
        ).catch(() => undefined);
        stats.forwarded += 1;
        if (answer) {
          const exchange: Exchange = {
            method,
            path,
            requestHeaders: req.headers,
            requestBody: body,
            status: answer.status,
            responseHeaders: answer.headers,
            responseBody: answer.body,
          };
          recorders.forEach((listener) => listener(exchange));
        }
        if (!answer) {
          req.socket.destroy();
          return;
        }
        if (rule?.resetAfterUpstream) {
          stats.reset += 1;
          req.socket.destroy();
          return;
        }
        if (rule?.delayResponseMs) {
          stats.delayed += 1;
          await sleep(rule.delayResponseMs);
        }
        if (req.socket.destroyed) {
          return;
        }
        const outHeaders = { ...answer.headers };
        delete outHeaders['transfer-encoding'];
        outHeaders['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, outHeaders);
        res.end(answer.body);
      })();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    record: (listener) => {
      recorders.push(listener);
    },
    addRule: (rule) => {
      rules.push({ ...rule });
    },
    clearRules: () => {
      rules = [];
    },
    stats: () => ({ ...stats }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Balancer {
  readonly url: string;
  /** Calls `listener` with the headers of every request passed on. */
  record(listener: (headers: IncomingHttpHeaders) => void): void;
  /** The API processes to spread deliveries over (round robin); none: 502. */
  setTargets(urls: readonly string[]): void;
  close(): Promise<void>;
}

/** Round-robin HTTP balancer in front of several API processes (ServiceNow sees one URL). */
export async function startBalancer(): Promise<Balancer> {
  let targets: URL[] = [];
  let next = 0;
  let recorder: ((headers: IncomingHttpHeaders) => void) | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      recorder?.(req.headers);
      const target = targets.length === 0 ? undefined : targets[next++ % targets.length];
      if (!target) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('no API process');
        return;
      }
      const out = request(
        {
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (up) => {
          const headers = { ...up.headers };
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(res);
        },
      );
      out.on('error', () => {
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
        }
        res.end('API process unreachable');
      });
      out.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    record(listener) {
      recorder = listener;
    },
    setTargets(urls) {
      targets = urls.map((u) => new URL(u));
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
