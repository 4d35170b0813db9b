/**
 * Capped exponential backoff with full jitter (AWS architecture blog, "Exponential backoff and
 * jitter"): the delay is uniform in [0, min(cap, base·2^attempt)]. Full jitter spreads the retries
 * of many jobs that failed together (a Storware restart) instead of having them hit it in waves.
 * A remote that said how long to wait (429 Retry-After) is honoured as a floor.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export function backoffDelayMs(
  attemptsMade: number,
  policy: BackoffPolicy,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  const floor = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, floor, 250);
}
