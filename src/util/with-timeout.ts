/**
 * Bounds how long a caller waits for a promise. On time-out the returned promise rejects with the
 * caller's error (each caller keeps the error type and wording its own callers and tests rely on);
 * the timer is cleared either way, so a pending deadline never keeps the process alive.
 *
 * The work itself is not cancelled: it runs on, and a late rejection from it is absorbed here
 * (Promise.race has already subscribed to it), so it cannot surface as an unhandled rejection.
 */
export function withTimeout<T>(
  work: PromiseLike<T>,
  timeoutMs: number,
  onTimeout: string | (() => Error),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(typeof onTimeout === 'string' ? new Error(onTimeout) : onTimeout()),
      timeoutMs,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
