/**
 * The webhook body ServiceNow sends (docs/design.md, "Webhook"), checked strictly: unknown
 * fields are refused (OWASP API3, mass assignment) and the variables are checked against the
 * item's definition in catalog-items/*.yaml. The variables are only a convenience copy (workers
 * re-read them from ServiceNow before acting), but refusing a malformed copy at the door tells
 * the requester about a broken form at once instead of after a queue round trip.
 *
 * Pure functions: no Redis, no express, so they are fuzzed directly.
 */
import { z } from 'zod';
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../items/definitions';
import type { ErrorDetail } from '../errors';
import { parseServiceNowDateTime, type VariableParser } from '../catalog/variables';

export const WEBHOOK_EVENTS = ['ritm.submitted', 'ritm.updated', 'ritm.cancelled'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const webhookBodySchema = z
  .object({
    event: z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }),
    sys_id: z
      .string({ error: 'must be a string' })
      .regex(/^[0-9a-f]{32}$/, 'must be a 32-hex ServiceNow sys_id'),
    number: z
      .string({ error: 'must be a string' })
      .regex(/^RITM\d{1,32}$/, 'must be a RITM number such as RITM0010001'),
    cat_item: z.enum(CATALOG_ITEM_KEYS, { error: `must be one of ${CATALOG_ITEM_KEYS.join(', ')}` }),
    sys_updated_on: z
      .string({ error: 'must be a string' })
      .refine(
        (v) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) && parseServiceNowDateTime(v) !== undefined,
        'must be a real date and time like 2026-11-28 22:00:00 (UTC)',
      ),
    variables: z.record(z.string(), z.string({ error: 'must be a string' }), {
      error: 'must be an object of variable answers (strings)',
    }),
  })
  .strict();

export type WebhookBody = z.infer<typeof webhookBodySchema>;

export type BodyCheck =
  | { readonly ok: true; readonly body: WebhookBody }
  | {
      readonly ok: false;
      readonly status: 400 | 415 | 422;
      readonly code: string;
      readonly message: string;
      readonly details: ErrorDetail[];
    };

/**
 * `application/json`, with `charset=utf-8` or no charset. Anything else (form posts, text/plain
 * from a misconfigured REST message, other charsets) is refused before anything is parsed.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) {
    return false;
  }
  const [mediaType, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') {
    return false;
  }
  return params.every((param) => {
    if (param === '') {
      return true;
    }
    const [name, value] = param.split('=').map((s) => s.trim());
    return name === 'charset' && (value === 'utf-8' || value === '"utf-8"');
  });
}

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

function zodDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // One detail per unknown field, each with its own path, so the sender sees all of them.
      for (const key of issue.keys) {
        const base = pathOf(issue.path);
        details.push({ path: base === '' ? key : `${base}.${key}`, message: 'is not a known field' });
      }
    } else {
      details.push({ path: pathOf(issue.path) || '(root)', message: issue.message });
    }
  }
  return details;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes → JSON value, or why not (400: it is not JSON at all). */
export function decodeJson(rawBody: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = decoder.decode(rawBody);
  } catch {
    return { ok: false, message: 'Body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'Body is not valid JSON' };
  }
}

/**
 * Keys that name an object's prototype machinery. JSON.parse makes them ordinary own properties,
 * but a schema that looks keys up with `in` (or copies them into a fresh object) treats them as
 * known or turns them into a prototype: refused by name, wherever the body may carry them.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function reservedKeys(value: unknown, base: string): ErrorDetail[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [];
  }
  return Object.keys(value)
    .filter((key) => RESERVED_KEYS.has(key))
    .map((key) => ({ path: base === '' ? key : `${base}.${key}`, message: 'is not a known field' }));
}

/**
 * Validates the envelope and, when the item is known, the variables against that item. All
 * problems are reported together, each with its path (`variables.instance_id`, `cat_item`).
 * A cancellation's variables are not checked against the item: refusing a cancel because of a
 * form field would leave work running that the requester asked to stop.
 */
export function checkWebhookBody(value: unknown, variables: VariableParser): BodyCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      status: 422,
      code: 'invalid_body',
      message: 'Body must be a JSON object',
      details: [{ path: '(root)', message: 'must be an object' }],
    };
  }
  const reserved = [
    ...reservedKeys(value, ''),
    ...reservedKeys((value as Record<string, unknown>).variables, 'variables'),
  ];
  if (reserved.length > 0) {
    return {
      ok: false,
      status: 422,
      code: 'invalid_body',
      message: 'The webhook body does not match the contract',
      details: reserved,
    };
  }
  const parsed = webhookBodySchema.safeParse(value);
  const details = parsed.success ? [] : zodDetails(parsed.error.issues);
  const raw = value as Record<string, unknown>;
  const item = raw.cat_item;
  const event = raw.event;
  const answers = raw.variables;
  const answersAreStrings =
    typeof answers === 'object' &&
    answers !== null &&
    !Array.isArray(answers) &&
    Object.values(answers).every((v) => typeof v === 'string');
  if (
    typeof item === 'string' &&
    (CATALOG_ITEM_KEYS as readonly string[]).includes(item) &&
    answersAreStrings &&
    event !== 'ritm.cancelled'
  ) {
    details.push(...variables.check(item as CatalogItemKey, answers));
  }
  if (details.length > 0 || !parsed.success) {
    const [code, message] = details.some((d) => d.path === 'cat_item')
      ? ['unknown_catalog_item', 'cat_item is not a catalog item this connector serves']
      : details.every((d) => d.path?.startsWith('variables.'))
        ? ['invalid_variables', `The variables do not match the form of ${String(item)}`]
        : ['invalid_body', 'The webhook body does not match the contract'];
    return { ok: false, status: 422, code, message, details };
  }
  return { ok: true, body: parsed.data };
}
