/**
 * The simulator's table store and rendering, in process: write semantics (strings, task states,
 * journals, mod count, 32-hex ids, 7-digit numbers: docs/servicenow.md §1, §2, §5, §7) and the
 * display modes.
 */
import { createIdSource, formatNumber, namedSysId } from '../../src/simulators/servicenow/ids';
import { renderRecord } from '../../src/simulators/servicenow/render';
import { TableStore } from '../../src/simulators/servicenow/tables';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('simulator table store', () => {
  let now: number;
  let store: TableStore;

  beforeEach(() => {
    now = T0;
    store = new TableStore(createIdSource(3), () => now);
    store.insert(
      'sys_user',
      { user_name: 'agent.smith', name: 'Agent Smith', active: true },
      { actor: 'admin' },
    );
  });

  it('when values of any JSON type are written, then they are stored as strings; null clears; objects with value unwrap', () => {
    const row = store.insert(
      'sc_req_item',
      {
        quantity: 2,
        active: false,
        short_description: null,
        requested_for: { value: 'abc' },
        nested: { deep: 1 },
      },
      { actor: 'admin' },
    );

    expect(row.quantity).toBe('2');
    expect(row.short_description).toBe('');
    expect(row.requested_for).toBe('abc');
    expect(row).not.toHaveProperty('nested');
    expect(Object.values(row).every((v) => typeof v === 'string')).toBe(true);
  });

  it('when a task is inserted, then it gets a 7-digit number, a 32-hex sys_id, opened_at and system fields', () => {
    const first = store.insert('sc_req_item', {}, { actor: 'agent.smith' });
    const second = store.insert('sc_req_item', {}, { actor: 'agent.smith' });
    const request = store.insert('sc_request', {}, { actor: 'agent.smith' });

    expect([first.number, second.number, request.number]).toEqual([
      'RITM0010001',
      'RITM0010002',
      'REQ0010001',
    ]);
    expect(first.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(first).toEqual(
      expect.objectContaining({
        opened_at: '2026-06-01 12:00:00',
        sys_created_on: '2026-06-01 12:00:00',
        sys_created_by: 'agent.smith',
        sys_mod_count: '0',
        active: 'true',
      }),
    );
  });

  it('when system fields or number are written, then the writes are ignored', () => {
    const row = store.insert('sc_req_item', {}, { actor: 'admin' });

    store.update(
      'sc_req_item',
      row.sys_id!,
      { number: 'RITM9999999', sys_mod_count: '42', sys_created_by: 'mallory' },
      { actor: 'admin' },
    );

    expect(row).toEqual(
      expect.objectContaining({ number: 'RITM0010001', sys_mod_count: '0', sys_created_by: 'admin' }),
    );
  });

  it('when journal fields are written, then entries append in order, the field stays "" and the write counts as a change', () => {
    const row = store.insert('sc_req_item', { work_notes: 'created' }, { actor: 'agent.smith' });
    now += 1_000;

    store.update(
      'sc_req_item',
      row.sys_id!,
      { comments: 'hello', work_notes: 'second' },
      { actor: 'agent.smith' },
    );
    store.update('sc_req_item', row.sys_id!, { work_notes: '   ' }, { actor: 'agent.smith' });

    expect(row.work_notes).toBe('');
    expect(row.sys_mod_count).toBe('1');
    expect(store.journal(row.sys_id!).map((e) => [e.element, e.value, e.createdOn])).toEqual([
      ['work_notes', 'created', '2026-06-01 12:00:00'],
      ['comments', 'hello', '2026-06-01 12:00:01'],
      ['work_notes', 'second', '2026-06-01 12:00:01'],
    ]);
    expect(store.journal(row.sys_id!, 'comments')).toHaveLength(1);
  });

  it('when an update changes nothing, then the mod count stays unless the write asks to touch the record', () => {
    const row = store.insert('sc_req_item', { state: '1' }, { actor: 'admin' });
    now += 5_000;

    store.update('sc_req_item', row.sys_id!, { state: '1' }, { actor: 'admin' });
    expect([row.sys_mod_count, row.sys_updated_on]).toEqual(['0', '2026-06-01 12:00:00']);

    store.update('sc_req_item', row.sys_id!, {}, { actor: 'admin', touch: true });
    expect([row.sys_mod_count, row.sys_updated_on]).toEqual(['1', '2026-06-01 12:00:05']);
  });

  it.each([
    ['3', 'false'],
    ['4', 'false'],
    ['7', 'false'],
    ['2', 'true'],
    ['-5', 'true'],
  ])('when a task moves to state %s, then active is %s (docs/servicenow.md §2)', (state, active) => {
    const row = store.insert('sc_req_item', { state: '1' }, { actor: 'agent.smith' });

    store.update('sc_req_item', row.sys_id!, { state }, { actor: 'agent.smith' });

    expect(row.active).toBe(active);
    expect(row.closed_at !== '').toBe(active === 'false');
    expect(row.closed_by !== '').toBe(active === 'false');
  });

  it('when a missing record is updated, then the result is undefined and nothing is created', () => {
    expect(store.update('sc_req_item', 'f'.repeat(32), { state: '2' }, { actor: 'admin' })).toBeUndefined();
    expect(store.rows('sc_req_item')).toHaveLength(0);
  });

  describe('rendering', () => {
    const base = { fields: undefined, excludeReferenceLink: false, baseUrl: 'https://dev.example' } as const;

    it('when a journal field is rendered with display values, then its history shows newest first with author and label', () => {
      const row = store.insert('sc_req_item', {}, { actor: 'admin' });
      store.update('sc_req_item', row.sys_id!, { work_notes: 'one' }, { actor: 'agent.smith' });
      now += 60_000;
      store.update('sc_req_item', row.sys_id!, { work_notes: 'two' }, { actor: 'agent.smith' });

      const raw = renderRecord(store, 'sc_req_item', row, {
        ...base,
        fields: ['work_notes'],
        displayValue: 'false',
      });
      const shown = renderRecord(store, 'sc_req_item', row, {
        ...base,
        fields: ['work_notes'],
        displayValue: 'true',
      });

      expect(raw).toEqual({ work_notes: '' });
      expect(shown).toEqual({
        work_notes:
          '2026-06-01 12:01:00 - Agent Smith (Work notes)\ntwo\n\n' +
          '2026-06-01 12:00:00 - Agent Smith (Work notes)\none\n\n',
      });
    });

    it('when a reference is empty, then it renders "" in every mode', () => {
      const row = store.insert('sc_req_item', {}, { actor: 'admin' });

      for (const displayValue of ['false', 'true'] as const) {
        expect(
          renderRecord(store, 'sc_req_item', row, { ...base, fields: ['assigned_to'], displayValue }),
        ).toEqual({ assigned_to: '' });
      }
      expect(
        renderRecord(store, 'sc_req_item', row, { ...base, fields: ['assigned_to'], displayValue: 'all' }),
      ).toEqual({
        assigned_to: { display_value: '', value: '' },
      });
    });

    it('when no fields are asked for, then every field of the table is rendered', () => {
      const row = store.insert('core_company', { name: 'Umbrella' }, { actor: 'admin' });

      expect(
        Object.keys(renderRecord(store, 'core_company', row, { ...base, displayValue: 'false' })).sort(),
      ).toEqual(
        [
          'name',
          'stock_symbol',
          'sys_created_by',
          'sys_created_on',
          'sys_id',
          'sys_mod_count',
          'sys_updated_by',
          'sys_updated_on',
        ].sort(),
      );
    });
  });

  describe('identifiers', () => {
    it('when two sources share a seed, then they produce the same ids; another seed gives others', () => {
      const a = createIdSource(99);
      const b = createIdSource(99);
      const c = createIdSource(100);
      const fromA = [a.sysId(), a.sysId(), a.token(86)];

      expect([b.sysId(), b.sysId(), b.token(86)]).toEqual(fromA);
      expect(c.sysId()).not.toBe(fromA[0]);
      expect(fromA[2]).toMatch(/^[0-9a-f]{86}$/);
    });

    it('when ids are named or numbered, then they are stable and formatted like ServiceNow', () => {
      expect(namedSysId('sc_cat_item:storware_backup_now')).toMatch(/^[0-9a-f]{32}$/);
      expect(namedSysId('sc_cat_item:storware_backup_now')).toBe(
        namedSysId('sc_cat_item:storware_backup_now'),
      );
      expect(formatNumber('SCTASK', 10_001)).toBe('SCTASK0010001');
    });
  });
});
