/** The CLI's tables and key/value blocks. */
import { fields, formatTime, table } from '../../src/cli/cli-format';

describe('CLI formatting', () => {
  it('when rows are printed, then columns align, unknown cells show a dash and long cells are cut', () => {
    const text = table(
      ['id', 'state', 'reason'],
      [
        ['run-1', 'failed', 'Storware answered 503'],
        ['tu-22', undefined, 'x'.repeat(80)],
      ],
    );
    expect(text.split('\n')).toEqual([
      'ID     STATE   REASON',
      'run-1  failed  Storware answered 503',
      `tu-22  -       ${'x'.repeat(59)}…`,
    ]);
  });

  it('when fields are printed, then labels align and empty values are left out', () => {
    expect(
      fields([
        ['Ticket', 'RITM1'],
        ['Tenant', undefined],
        ['State', 'Running'],
      ]),
    ).toBe('Ticket: RITM1\nState:  Running');
    expect(formatTime(0)).toBe('1970-01-01 00:00:00 UTC');
    expect(formatTime(undefined)).toBe('-');
  });
});
