/**
 * A small Toxiproxy-like TCP link for loopback use, put between the connector's worker processes
 * and Redis (fault R7 of docs/reliability.md §4.2: "Toxiproxy on Redis: latency, reset_peer").
 * Unlike the HTTP fault proxy (chaos-proxy.ts), it knows nothing of the protocol: it moves bytes,
 * late or not at all, which is what a slow or flaky network does to a Redis client.
 *
 * - `setLatency(ms)` delays every chunk in both directions by `ms` (Toxiproxy's `latency` toxic,
 *   applied to upstream and downstream alike, so a round trip costs 2 × ms). Order is kept per
 *   direction: each direction has one queue of chunks stamped with the time they may go, drained
 *   from the head by a single timer. A setTimeout per chunk would not do: when the latency drops,
 *   a later chunk's timer would fire before an earlier one's and reorder the RESP stream.
 * - `resetPeers()` cuts every open connection abruptly (Toxiproxy's `reset_peer`): an RST to both
 *   the client and Redis, and whatever was still queued in the link is dropped. Commands in flight
 *   are lost, including replies to commands Redis already ran — the case a resending client has to
 *   survive.
 * - `setRefuse(true)` turns new connections away at once (an RST right after accept), as a link
 *   that is down would, while the listening port stays the same for the clients' reconnects.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`: give it to a client as its REDIS_URL. */
  readonly url: string;
  /** Added delay per chunk, each direction, in ms (0: pass through). */
  setLatency(ms: number): void;
  latency(): number;
  /** Resets every open connection (RST both ways); returns how many were cut. */
  resetPeers(): number;
  /** While true, new connections are reset as soon as they are accepted. */
  setRefuse(refuse: boolean): void;
  /** Open client connections. */
  connections(): number;
  stats(): { accepted: number; reset: number; refused: number };
  close(): Promise<void>;
}

/**
 * An RST where the platform can send one (Node ≥ 18.3), a plain destroy otherwise. Never on a
 * socket whose writable side was ended (a FIN forwarded by DelayedPipe): libuv refuses to reset a
 * stream that is shutting down (EINVAL), and Node 20 then leaves the handle half-closed for good,
 * so the test process spins at 100 % CPU on exit instead of ending.
 */
function abort(socket: Socket): void {
  if (socket.destroyed) {
    return;
  }
  if (typeof socket.resetAndDestroy === 'function' && !socket.writableEnded) {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}

/**
 * One direction of a connection: bytes read from `from` reach `to` `latency()` ms later, in the
 * order they were read. `null` in the queue is the end of the stream (a FIN), delivered in turn
 * after the data before it, so a client's QUIT still gets its delayed "+OK".
 */
class DelayedPipe {
  private readonly queue: Array<{ readonly due: number; readonly chunk: Buffer | null }> = [];
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private waitingForDrain = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly latency: () => number,
  ) {
    from.on('data', (chunk: Buffer) => this.push(chunk));
    from.on('end', () => this.end());
  }

  /** No more data from `from` (its FIN, or it closed): `to` gets a FIN after what is queued. */
  end(): void {
    if (!this.ended) {
      this.ended = true;
      this.push(null);
    }
  }

  /** Drops what is queued (the connection was reset). */
  drop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  private push(chunk: Buffer | null): void {
    const ms = this.latency();
    // Nothing queued and no latency: straight through (nothing earlier can be overtaken).
    if (ms <= 0 && this.queue.length === 0) {
      this.deliver(chunk);
      return;
    }
    this.queue.push({ due: performance.now() + Math.max(0, ms), chunk });
    this.schedule();
  }

  /** One timer per direction, for the head of the queue only: that is what keeps the order. */
  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) {
      return;
    }
    const wait = Math.max(0, this.queue[0]!.due - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      this.deliver(this.queue.shift()!.chunk);
    }
    this.schedule();
  }

  private deliver(chunk: Buffer | null): void {
    if (this.to.destroyed || this.to.writableEnded) {
      return;
    }
    if (chunk === null) {
      this.to.end();
      return;
    }
    // Back-pressure: stop reading the source until the destination drained (loopback rarely needs
    // it, but a burst of large replies must not grow the queue without bound).
    if (!this.to.write(chunk) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.from.pause();
      this.to.once('drain', () => {
        this.waitingForDrain = false;
        this.from.resume();
      });
    }
  }
}

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly up: DelayedPipe;
  readonly down: DelayedPipe;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let latencyMs = 0;
  let refuse = false;
  const links = new Set<Link>();
  const stats = { accepted: 0, reset: 0, refused: 0 };
  const latency = () => latencyMs;

  const cut = (link: Link) => {
    link.up.drop();
    link.down.drop();
    abort(link.client);
    abort(link.upstream);
    links.delete(link);
  };

  // allowHalfOpen: a FIN from one side must not close the other side's direction at once; the
  // pipe forwards it after the data still queued (see DelayedPipe.end).
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    if (refuse) {
      stats.refused += 1;
      client.on('error', () => undefined);
      abort(client);
      return;
    }
    stats.accepted += 1;
    // Writes before the upstream connected are buffered by the socket, so nothing is lost.
    const upstream = createConnection({
      host: targetHost,
      port: targetPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    const link: Link = {
      client,
      upstream,
      up: new DelayedPipe(client, upstream, latency),
      down: new DelayedPipe(upstream, client, latency),
    };
    links.add(link);
    // A side that closes with an error (a reset, Redis gone) takes the other down the same way at
    // once: the client must see the failure, not a connection that hangs. A clean close ends the
    // other direction in order, after the data still on its way.
    const closed = (pipeFromSide: DelayedPipe) => (hadError: boolean) => {
      if (hadError) {
        cut(link);
        return;
      }
      pipeFromSide.end();
      if (client.destroyed && upstream.destroyed) {
        links.delete(link);
      }
    };
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('close', closed(link.up));
    upstream.on('close', closed(link.down));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    latency,
    resetPeers() {
      const open = [...links];
      open.forEach(cut);
      stats.reset += open.length;
      return open.length;
    },
    setRefuse(value) {
      refuse = value;
    },
    connections: () => links.size,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        refuse = true;
        [...links].forEach(cut);
        server.close(() => resolve());
      }),
  };
}
