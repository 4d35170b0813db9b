/**
 * Who may deliver a webhook. The normal and recommended way is a Standard Webhooks signature
 * (HMAC-SHA256 over id, timestamp and the raw bytes) with any of the configured secrets, inside
 * the timestamp tolerance: it proves the sender holds a secret, that the body was not changed and
 * that the delivery is fresh, so a captured request cannot be replayed later.
 *
 * Basic mode exists only for ServiceNow instances that cannot sign. It is off unless
 * `WEBHOOK_BASIC_AUTH` is set, and it is weaker: the password travels with every request (TLS is
 * all that protects it), nothing binds it to the body, and nothing stops a replay except the
 * content dedupe. A request carrying `webhook-signature` is always judged by its signature, never
 * by Basic credentials, so a failed signature cannot fall back to the weaker check.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { verifyWebhook } from './standard-webhooks';

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export type AuthResult =
  | { readonly ok: true; readonly method: 'signature' | 'basic'; readonly webhookId: string | undefined }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A header's single value; a repeated header (array) counts as absent rather than guessed at. */
export function singleHeader(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares fixed-length digests, so neither the length nor the first differing byte leaks. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function checkBasic(
  authorization: string | undefined,
  basic: { readonly user: string; readonly password: string },
): boolean {
  const match =
    authorization === undefined ? null : /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(authorization.trim());
  if (!match) {
    return false;
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  return sameSecret(decoded, `${basic.user}:${basic.password}`);
}

export function authenticateDelivery(
  headers: HeaderBag,
  rawBody: Buffer,
  webhook: Pick<Config['webhook'], 'secrets' | 'toleranceSeconds' | 'basicAuth'>,
  nowMs: number,
): AuthResult {
  const signature = singleHeader(headers, 'webhook-signature');
  if (signature === undefined && webhook.basicAuth !== undefined) {
    if (!checkBasic(singleHeader(headers, 'authorization'), webhook.basicAuth)) {
      return { ok: false, code: 'invalid_credentials', message: 'Basic credentials are missing or wrong' };
    }
    const id = singleHeader(headers, 'webhook-id');
    return { ok: true, method: 'basic', webhookId: id !== undefined && id.length <= 256 ? id : undefined };
  }
  const result = verifyWebhook(
    {
      id: singleHeader(headers, 'webhook-id'),
      timestamp: singleHeader(headers, 'webhook-timestamp'),
      signature,
      body: rawBody,
    },
    webhook.secrets,
    webhook.toleranceSeconds,
    nowMs,
  );
  if (result.ok) {
    return { ok: true, method: 'signature', webhookId: result.id };
  }
  switch (result.reason) {
    case 'missing_headers':
      return {
        ok: false,
        code: 'missing_signature',
        message: 'webhook-id, webhook-timestamp and webhook-signature are required',
      };
    case 'invalid_timestamp':
      return { ok: false, code: 'invalid_timestamp', message: 'webhook-timestamp must be Unix seconds' };
    case 'timestamp_too_old':
    case 'timestamp_too_new':
      return {
        ok: false,
        code: 'timestamp_out_of_tolerance',
        message: `webhook-timestamp is more than ${webhook.toleranceSeconds} s away from the receiver's clock`,
      };
    case 'invalid_signature':
      return { ok: false, code: 'invalid_signature', message: 'No signature matches a configured secret' };
  }
}
