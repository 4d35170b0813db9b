/**
 * The ServiceNow simulator's equality indexes answer exactly what a full scan would, in the same
 * order, whatever sequence of inserts, updates, journal writes and deletes came before.
 */
import fc from 'fast-check';
import { createIdSource } from '../../src/simulators/servicenow/ids';
import { TableStore } from '../../src/simulators/servicenow/tables';

type Op =
  | { kind: 'insert'; state: string; item: number }
  | { kind: 'update'; pick: number; state: string; note: boolean }
  | { kind: 'delete'; pick: number }
  | { kind: 'query'; states: string[] };

const STATES = ['1', '2', '3', '4', '7'];
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), state: fc.constantFrom(...STATES), item: fc.nat(3) }),
  fc.record({
    kind: fc.constant('update' as const),
    pick: fc.nat(),
    state: fc.constantFrom(...STATES),
    note: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('query' as const),
    states: fc.uniqueArray(fc.constantFrom(...STATES), { minLength: 1, maxLength: 3 }),
  }),
);

describe('ServiceNow simulator: equality indexes', () => {
  it('when any writes happen between queries, then indexed answers equal full scans', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const store = new TableStore(createIdSource(7), () => 1_800_000_000_000);
        const ids: string[] = [];
        for (const o of ops) {
          switch (o.kind) {
            case 'insert':
              ids.push(
                store.insert(
                  'sc_req_item',
                  { state: o.state, short_description: `item ${o.item}` },
                  { actor: 'a' },
                ).sys_id!,
              );
              break;
            case 'update':
              if (ids.length > 0) {
                const id = ids[o.pick % ids.length]!;
                store.update(
                  'sc_req_item',
                  id,
                  { state: o.state, ...(o.note ? { work_notes: 'n' } : {}) },
                  { actor: 'a' },
                );
              }
              break;
            case 'delete':
              if (ids.length > 0) {
                store.delete('sc_req_item', ids.splice(o.pick % ids.length, 1)[0]!);
              }
              break;
            case 'query': {
              const scan = store.rows('sc_req_item').filter((r) => o.states.includes(r.state ?? ''));
              expect(store.rowsWhere('sc_req_item', 'state', o.states)).toEqual(scan);
              for (const id of ids) {
                const journal = store.rows('sys_journal_field').filter((r) => r.element_id === id);
                expect(store.rowsWhere('sys_journal_field', 'element_id', [id])).toEqual(journal);
              }
              break;
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
