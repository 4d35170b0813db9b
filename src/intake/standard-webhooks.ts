/**
 * Standard Webhooks 1.0 signatures (docs/standard-webhooks.md; the specification is
 * spec/standard-webhooks.md in the standard-webhooks/standard-webhooks repository):
 * HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${raw body}` with the secret's decoded bytes,
 * base64, sent as `v1,<sig>`; several space-separated signatures are allowed so a sender can sign
 * with the old and the new secret during rotation, and a receiver may hold several secrets at once.
 *
 * Used by the intake (verify) and by the ServiceNow simulator and tests (sign), so both sides run
 * the same code path the catalog item's script include reproduces.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

export function secretBytes(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
}

export function computeSignature(
  secret: string,
  id: string,
  timestamp: string,
  body: string | Buffer,
): string {
  const mac = createHmac('sha256', secretBytes(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest('base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Headers for one delivery, signed with every given secret (rotation: old and new). */
export function signWebhook(
  secrets: string | readonly string[],
  id: string,
  body: string | Buffer,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): SignedHeaders {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const timestamp = String(timestampSeconds);
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': list.map((s) => `v1,${computeSignature(s, id, timestamp, body)}`).join(' '),
  };
}

export type VerifyFailure =
  'missing_headers' | 'invalid_timestamp' | 'timestamp_too_old' | 'timestamp_too_new' | 'invalid_signature';

export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; reason: VerifyFailure };

export interface VerifyInput {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly body: Buffer;
}

const MAX_ID_LENGTH = 256;
const MAX_SIGNATURE_HEADER = 4096;

/**
 * Verifies a delivery. Every candidate signature is compared against every secret in constant
 * time (per comparison), and the loop does not stop at the first match, so timing says nothing
 * about which secret or which signature matched.
 */
export function verifyWebhook(
  input: VerifyInput,
  secrets: readonly string[],
  toleranceSeconds: number,
  nowMs: number = Date.now(),
): VerifyResult {
  const { id, timestamp, signature, body } = input;
  if (
    !id ||
    !timestamp ||
    !signature ||
    id.length > MAX_ID_LENGTH ||
    signature.length > MAX_SIGNATURE_HEADER
  ) {
    return { ok: false, reason: 'missing_headers' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'invalid_timestamp' };
  }
  const ts = Number(timestamp);
  const now = Math.floor(nowMs / 1000);
  if (now - ts > toleranceSeconds) {
    return { ok: false, reason: 'timestamp_too_old' };
  }
  if (ts - now > toleranceSeconds) {
    return { ok: false, reason: 'timestamp_too_new' };
  }
  const candidates = signature
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'))
    .filter((buf) => buf.length === 32);
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, id, timestamp, body), 'base64');
    for (const candidate of candidates) {
      if (timingSafeEqual(expected, candidate)) {
        matched = true;
      }
    }
  }
  return matched ? { ok: true, id, timestamp: ts } : { ok: false, reason: 'invalid_signature' };
}
