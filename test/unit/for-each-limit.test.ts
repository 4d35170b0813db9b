import { forEachLimit } from '../../src/requests/poll-tasks';

describe('forEachLimit', () => {
  it('when many items are processed, then at most the limit run at once and every item is seen', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimit(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(i);
        inFlight -= 1;
      },
    );
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('when one item fails, then the error reaches the caller', async () => {
    await expect(
      forEachLimit([1, 2, 3], 2, (i) => (i === 2 ? Promise.reject(new Error('boom')) : Promise.resolve())),
    ).rejects.toThrow('boom');
  });
});
