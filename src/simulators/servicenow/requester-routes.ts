/**
 * The requester side over HTTP, for the demo and for driving a simulator in another process
 * (`npm run sim:servicenow`). Not part of ServiceNow's API: paths live under `/__requester/`,
 * need no authentication, and answer `{ message }` with 400 when an action is refused.
 *
 *   POST /__requester/order                  { item, requestedFor, openedBy?, variables?, approvers?, webhook? }
 *   POST /__requester/ritm/:ritm/approve     { approver, comment?, webhook? }
 *   POST /__requester/ritm/:ritm/reject      { approver, comment?, webhook? }
 *   POST /__requester/ritm/:ritm/variables   { changes, webhook? }
 *   POST /__requester/ritm/:ritm/cancel      { webhook? }
 *   GET  /__requester/deliveries             every webhook delivery so far
 *   POST /__requester/release                { order?: "fifo" | "lifo", seqs? } sends held webhooks
 */
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../../items/definitions';
import { json, route, type Route, type SimRequest, type SimResponse } from '../http-kit';
import type { AnswerValue, Requester } from './requester';
import type { DeliveryOptions, WebhookEmitter } from './webhooks';

type Body = Record<string, unknown>;

function bodyOf(req: SimRequest): Body {
  return req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)
    ? (req.body as Body)
    : {};
}

function text(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`"${name}" is required`);
  }
  return value;
}

function optionalText(body: Body, name: string): string | undefined {
  return typeof body[name] === 'string' ? body[name] : undefined;
}

function answers(value: unknown): Record<string, AnswerValue> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, AnswerValue>) : undefined;
}

function webhookOf(body: Body): DeliveryOptions | undefined {
  const raw = body.webhook;
  if (raw === null || typeof raw !== 'object') {
    return undefined;
  }
  const w = raw as Record<string, unknown>;
  return {
    mode: w.mode === 'hold' || w.mode === 'drop' ? w.mode : 'send',
    duplicates: typeof w.duplicates === 'number' ? w.duplicates : undefined,
    duplicateIds: w.duplicateIds === 'new' ? 'new' : 'same',
    concurrent: w.concurrent === true,
    delayMs: typeof w.delayMs === 'number' ? w.delayMs : undefined,
  };
}

/** Runs an action; a refused one (unknown user, nothing to approve, …) becomes a 400. */
function action(
  run: (req: SimRequest, body: Body) => Promise<unknown>,
): (req: SimRequest) => Promise<SimResponse> {
  return async (req) => {
    try {
      return json(200, await run(req, bodyOf(req)));
    } catch (error) {
      return json(400, { message: (error as Error).message });
    }
  };
}

export function createRequesterRoutes(requester: Requester, webhooks: WebhookEmitter): Route[] {
  return [
    route(
      'POST',
      '/__requester/order',
      action((_req, body) => {
        const item = text(body, 'item');
        if (!(CATALOG_ITEM_KEYS as readonly string[]).includes(item)) {
          throw new Error(`"item" must be one of ${CATALOG_ITEM_KEYS.join(', ')}`);
        }
        return requester.order(item as CatalogItemKey, {
          requestedFor: text(body, 'requestedFor'),
          openedBy: optionalText(body, 'openedBy'),
          variables: answers(body.variables),
          approvers: Array.isArray(body.approvers) ? body.approvers.map(String) : undefined,
          webhook: webhookOf(body),
        });
      }),
    ),
    route(
      'POST',
      '/__requester/ritm/:ritm/approve',
      action((req, body) =>
        requester.approve(
          req.params.ritm ?? '',
          text(body, 'approver'),
          optionalText(body, 'comment'),
          webhookOf(body),
        ),
      ),
    ),
    route(
      'POST',
      '/__requester/ritm/:ritm/reject',
      action((req, body) =>
        requester.reject(
          req.params.ritm ?? '',
          text(body, 'approver'),
          optionalText(body, 'comment'),
          webhookOf(body),
        ),
      ),
    ),
    route(
      'POST',
      '/__requester/ritm/:ritm/variables',
      action((req, body) =>
        requester.updateVariables(req.params.ritm ?? '', answers(body.changes) ?? {}, webhookOf(body)),
      ),
    ),
    route(
      'POST',
      '/__requester/ritm/:ritm/cancel',
      action((req, body) => requester.cancel(req.params.ritm ?? '', webhookOf(body))),
    ),
    route('GET', '/__requester/deliveries', () => json(200, webhooks.deliveries())),
    route(
      'POST',
      '/__requester/release',
      action((_req, body) =>
        webhooks.release({
          order: body.order === 'lifo' ? 'lifo' : 'fifo',
          seqs: Array.isArray(body.seqs) ? body.seqs.map(Number) : undefined,
        }),
      ),
    ),
  ];
}
