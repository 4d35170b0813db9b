/**
 * zod at the edge of the service API: query parameters answer 400 `invalid_query`, bodies 422
 * `invalid_body`, and every problem names its parameter or field in `details[].path`.
 */
import { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../../errors';

function details(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...issue.path, key].join('.'),
        message: 'is not a known parameter',
      }));
    }
    return [{ path: issue.path.map(String).join('.') || '(root)', message: issue.message }];
  });
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) {
    const found = details(parsed.error);
    throw new ValidationError(
      `Invalid query parameter${found.length > 1 ? 's' : ''}: ${found.map((d) => d.path).join(', ')}`,
      found,
      'invalid_query',
      400,
    );
  }
  return parsed.data;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const found = details(parsed.error);
    throw new ValidationError(
      `Invalid body: ${found.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      found,
      'invalid_body',
      422,
    );
  }
  return parsed.data;
}

/** `limit`: a whole number in range, with a default. */
export function limitParam(max: number, fallback: number) {
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback);
}

/** An instant as epoch ms or an ISO 8601 date(-time); becomes epoch ms. */
export const instantParam = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 date-time' });
      return z.NEVER;
    }
    return ms;
  });

/** The reason an ops action needs: 1–500 characters after trimming. */
export const reasonField = z
  .string({ error: 'is required (why you are doing this; it goes to the audit trail)' })
  .trim()
  .min(1, 'is required (why you are doing this; it goes to the audit trail)')
  .max(500, 'must be at most 500 characters');

export const reasonBody = z.object({ reason: reasonField }).strict();

export const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A named path parameter as one string (express 5 types wildcard parameters as arrays). */
export function pathParam(params: Record<string, string | string[] | undefined>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') {
    throw new TypeError(`route has no :${name} parameter`);
  }
  return value;
}
