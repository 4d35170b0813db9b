/**
 * The outbound webhook a business rule on `sc_req_item` would send (docs/design.md "Webhook";
 * docs/servicenow.md §3): `POST <connectorUrl>/webhooks/servicenow`, JSON body
 * `{event, sys_id, number, cat_item, sys_updated_on, variables}`, Standard Webhooks headers signed
 * with every configured `whsec_` secret by the simulator's own signer (sign-webhook.ts, written from
 * the specification; the connector's own signer is deliberately not used, so a signing bug on one
 * side shows up as a refused delivery instead of being shared by both).
 *
 * Real senders misbehave (docs/servicenow.md §3: async rules run out of order, RESTMessageV2 has no retry,
 * IntegrationHub retries), so each emission can be duplicated (same webhook-id, as a retry; or new
 * ids, as a rule firing twice), delayed, held back and released later in any order (reordering),
 * or dropped (a lost webhook). Every attempt is recorded with the connector's status and body.
 */
import { signedWebhookHeaders, signingKey } from './sign-webhook';
import type { IdSource } from './ids';

export type WebhookEvent = 'ritm.submitted' | 'ritm.updated' | 'ritm.cancelled';

export interface WebhookPayload {
  readonly event: WebhookEvent;
  readonly sys_id: string;
  readonly number: string;
  /** The catalog item key (`storware_backup_now`, …). */
  readonly cat_item: string;
  readonly sys_updated_on: string;
  readonly variables: Readonly<Record<string, string>>;
}

export interface DeliveryOptions {
  /** `send` (default), `hold` until `release()`, or `drop` (never delivered). */
  readonly mode?: 'send' | 'hold' | 'drop';
  /** Extra copies beyond the first. */
  readonly duplicates?: number;
  /** `same` (default): copies share the webhook-id, like a retry; `new`: each copy gets its own id. */
  readonly duplicateIds?: 'same' | 'new';
  /** Send the copies at the same time instead of one after the other. */
  readonly concurrent?: boolean;
  /** Wait this long (real milliseconds) before sending; `emit` returns at once. */
  readonly delayMs?: number;
}

export type DeliveryState = 'held' | 'scheduled' | 'sending' | 'answered' | 'failed' | 'dropped';

export interface Delivery {
  /** Emission order across the simulator, from 1. */
  readonly seq: number;
  readonly webhookId: string;
  readonly payload: WebhookPayload;
  /** 0 for the original, 1.. for duplicates. */
  readonly copy: number;
  state: DeliveryState;
  /** The connector's HTTP status, when it answered. */
  status?: number;
  /** The connector's answer body (text). */
  responseBody?: string;
  /** Why nothing was answered (connection refused, timeout, no connector URL). */
  error?: string;
  /** Simulator clock (epoch ms) when it was sent. */
  sentAt?: number;
}

export interface WebhookEmitter {
  /** Emits one event; resolves once immediate copies are answered (or failed). */
  emit(payload: WebhookPayload, options?: DeliveryOptions): Promise<Delivery[]>;
  /** Every delivery so far, in emission order. */
  deliveries(filter?: { readonly sysId?: string; readonly event?: WebhookEvent }): Delivery[];
  /** Deliveries held back, in emission order. */
  held(): Delivery[];
  /**
   * Sends held deliveries, one after the other: all of them in emission order (`fifo`, default),
   * in reverse (`lifo`), or exactly the given `seqs` in the given order.
   */
  release(options?: {
    readonly order?: 'fifo' | 'lifo';
    readonly seqs?: readonly number[];
  }): Promise<Delivery[]>;
  /** Resolves when nothing scheduled or in flight remains (held ones do not count). */
  idle(): Promise<void>;
  setConnectorUrl(url: string | undefined): void;
  setSecrets(secrets: readonly string[]): void;
  /** Cancels scheduled deliveries (marked failed). */
  close(): void;
}

export interface WebhookEmitterOptions {
  readonly connectorUrl?: string;
  readonly secrets: readonly string[];
  readonly ids: IdSource;
  readonly now: () => number;
  readonly timeoutMs: number;
}

export function createWebhookEmitter(options: WebhookEmitterOptions): WebhookEmitter {
  let connectorUrl = options.connectorUrl?.replace(/\/+$/, '');
  /** Copies the secrets after checking each one decodes, so a bad secret fails here, not mid-send. */
  function checkedSecrets(list: readonly string[]): string[] {
    list.forEach((s) => signingKey(s));
    return [...list];
  }
  let secrets = checkedSecrets(options.secrets);
  const all: Delivery[] = [];
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, { batch: Delivery[]; done: () => void }>();
  let seq = 0;

  async function send(delivery: Delivery): Promise<void> {
    if (connectorUrl === undefined) {
      delivery.state = 'failed';
      delivery.error = 'no connector URL configured';
      return;
    }
    const body = JSON.stringify(delivery.payload);
    const signed =
      secrets.length > 0
        ? signedWebhookHeaders(secrets, delivery.webhookId, body, Math.floor(options.now() / 1000))
        : undefined;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(signed ?? {
        'webhook-id': delivery.webhookId,
        'webhook-timestamp': String(Math.floor(options.now() / 1000)),
      }),
    };
    delivery.state = 'sending';
    delivery.sentAt = options.now();
    try {
      const response = await fetch(`${connectorUrl}/webhooks/servicenow`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      delivery.status = response.status;
      delivery.responseBody = await response.text();
      delivery.state = 'answered';
    } catch (error) {
      delivery.state = 'failed';
      const cause = (error as { cause?: { code?: unknown } }).cause;
      delivery.error = typeof cause?.code === 'string' ? cause.code : (error as Error).name;
    }
  }

  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  }

  async function sendAll(batch: readonly Delivery[], concurrent: boolean): Promise<void> {
    if (concurrent) {
      await Promise.all(batch.map((d) => track(send(d))));
      return;
    }
    for (const delivery of batch) {
      await track(send(delivery));
    }
  }

  return {
    async emit(payload, deliveryOptions = {}) {
      const copies = 1 + Math.max(0, Math.floor(deliveryOptions.duplicates ?? 0));
      const firstId = `msg_${options.ids.token(27)}`;
      const batch: Delivery[] = [];
      for (let copy = 0; copy < copies; copy += 1) {
        seq += 1;
        const webhookId =
          copy === 0 || deliveryOptions.duplicateIds !== 'new' ? firstId : `msg_${options.ids.token(27)}`;
        batch.push({ seq, webhookId, payload, copy, state: 'scheduled' });
      }
      all.push(...batch);
      const mode = deliveryOptions.mode ?? 'send';
      if (mode === 'drop' || mode === 'hold') {
        batch.forEach((d) => (d.state = mode === 'drop' ? 'dropped' : 'held'));
        return batch;
      }
      const concurrent = deliveryOptions.concurrent === true;
      const delayMs = deliveryOptions.delayMs ?? 0;
      if (delayMs > 0) {
        const work = new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            void sendAll(batch, concurrent).finally(resolve);
          }, delayMs);
          timers.set(timer, { batch, done: resolve });
        });
        void track(work);
        return batch;
      }
      await sendAll(batch, concurrent);
      return batch;
    },

    deliveries(filter = {}) {
      return all.filter(
        (d) =>
          (filter.sysId === undefined || d.payload.sys_id === filter.sysId) &&
          (filter.event === undefined || d.payload.event === filter.event),
      );
    },

    held() {
      return all.filter((d) => d.state === 'held');
    },

    async release(releaseOptions = {}) {
      const held = all.filter((d) => d.state === 'held');
      let chosen: Delivery[];
      if (releaseOptions.seqs !== undefined) {
        chosen = releaseOptions.seqs
          .map((s) => held.find((d) => d.seq === s))
          .filter((d): d is Delivery => d !== undefined);
      } else {
        chosen = releaseOptions.order === 'lifo' ? [...held].reverse() : held;
      }
      chosen.forEach((d) => (d.state = 'scheduled'));
      await sendAll(chosen, false);
      return chosen;
    },

    async idle() {
      while (inFlight.size > 0) {
        await Promise.all([...inFlight]);
      }
    },

    setConnectorUrl(url) {
      connectorUrl = url?.replace(/\/+$/, '');
    },

    setSecrets(next) {
      secrets = checkedSecrets(next);
    },

    close() {
      for (const [timer, { batch, done }] of timers) {
        clearTimeout(timer);
        batch.forEach((d) => {
          d.state = 'failed';
          d.error = 'simulator closed before sending';
        });
        done();
      }
      timers.clear();
    },
  };
}
