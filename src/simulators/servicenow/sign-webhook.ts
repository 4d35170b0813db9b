/**
 * The simulator's own Standard Webhooks signer, written from the specification and not from the
 * connector's code, so a signing bug in the connector cannot hide behind the simulator making the
 * same mistake. Nothing here comes from the connector; only node:crypto is used.
 *
 * Source: standard-webhooks/standard-webhooks, spec/standard-webhooks.md
 * (Version 1.0.0, commit 5569aeae6fa0035bb01eb0167ab74bcaaeabedc1), "Signature scheme" and
 * "Webhook headers":
 * - the content signed is `{msg_id}.{timestamp}.{payload}`, the payload being the exact bytes sent;
 * - symmetric signatures are HMAC-SHA256 keyed with the secret, whose serialization is base64
 *   prefixed with `whsec_` (the key is the decoded bytes, not the text);
 * - the signature is sent as `v1,` followed by the base64 HMAC; `webhook-signature` is a space
 *   delimited list of such signatures (one per secret, for zero-downtime rotation);
 * - `webhook-timestamp` is an integer Unix timestamp in seconds;
 * - the message id and the timestamp must not contain `.`.
 * Known answer (libraries/javascript/src/webhook.test.ts, commit
 * 7b4b8f6ae873424eb23562d6962ef548d1e1f78b) is checked in test/unit/standard-webhooks-vector.test.ts.
 */
import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** Standard base64 alphabet with optional `=` padding, as the spec's "base64 encoded". */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

export interface SignedWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The HMAC key of a `whsec_<base64>` secret. The prefix is optional (the reference libraries accept
 * a bare base64 secret too); anything that is not base64 or decodes to nothing is refused, so a
 * mistyped secret fails loudly instead of signing with garbage.
 */
export function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new Error('webhook secret must be whsec_ followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}

/** One `v1,<base64 HMAC-SHA256>` signature over `${id}.${timestamp}.${body}`. */
export function signatureV1(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string | Buffer,
): string {
  if (id.length === 0 || id.includes('.')) {
    throw new Error('webhook-id must be non-empty and must not contain "."');
  }
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new Error('webhook-timestamp must be whole Unix seconds');
  }
  const content = Buffer.concat([
    Buffer.from(`${id}.${timestampSeconds}.`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  ]);
  return `v1,${createHmac('sha256', signingKey(secret)).update(content).digest('base64')}`;
}

/** The three Standard Webhooks headers for one delivery, signed with every given secret. */
export function signedWebhookHeaders(
  secrets: readonly string[],
  id: string,
  body: string | Buffer,
  timestampSeconds: number,
): SignedWebhookHeaders {
  if (secrets.length === 0) {
    throw new Error('at least one webhook secret is needed to sign');
  }
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signatureV1(s, id, timestampSeconds, body)).join(' '),
  };
}
