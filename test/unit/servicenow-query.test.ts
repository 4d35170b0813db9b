/**
 * The simulator's encoded-query subset (docs/servicenow.md §1 "Query parameters", §7), in process.
 */
import { createIdSource } from '../../src/simulators/servicenow/ids';
import { parseEncodedQuery, parseQueryDate, runQuery } from '../../src/simulators/servicenow/query';
import { TableStore } from '../../src/simulators/servicenow/tables';

describe('encoded queries', () => {
  let store: TableStore;
  let now = Date.UTC(2026, 0, 1, 8, 0, 0);

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1, 8, 0, 0);
    store = new TableStore(createIdSource(1), () => now);
    const acme = store.insert('core_company', { name: 'ACME Corp' }, { actor: 't' }).sys_id;
    const globex = store.insert('core_company', { name: 'Globex' }, { actor: 't' }).sys_id;
    store.insert('sys_user', { user_name: 'ann', name: 'Ann', company: acme, active: true }, { actor: 't' });
    now += 60_000;
    store.insert(
      'sys_user',
      { user_name: 'ben', name: 'Ben', company: globex, active: true },
      { actor: 't' },
    );
    now += 60_000;
    store.insert('sys_user', { user_name: 'cat', name: 'Cat', company: '', active: false }, { actor: 't' });
  });

  function users(query: string, pairs: Array<[string, string]> = []): string[] {
    return runQuery(
      store,
      'sys_user',
      store.rows('sys_user'),
      parseEncodedQuery('sys_user', query, pairs),
    ).map((r) => r.user_name!);
  }

  it('when terms are joined by ^, then every term must hold', () => {
    expect(users('active=true^user_name!=ann')).toEqual(['ben']);
  });

  it('when ^OR follows a term, then it binds to that term before the next ^ (a^ORb^c = (a or b) and c)', () => {
    expect(users('user_name=ann^ORuser_name=cat^active=true')).toEqual(['ann']);
    expect(users('active=true^user_name=ann^ORuser_name=cat')).toEqual(['ann']);
  });

  it('when LIKE, NOT LIKE, STARTSWITH and ENDSWITH are used, then they compare substrings case-sensitively', () => {
    expect(users('nameLIKEe')).toEqual(['ben']);
    expect(users('nameLIKEE')).toEqual([]);
    expect(users('nameNOT LIKEa')).toEqual(['ann', 'ben']); // "Ann" has no lower-case a
    expect(users('user_nameSTARTSWITHc')).toEqual(['cat']);
    expect(users('user_nameENDSWITHn')).toEqual(['ann', 'ben']);
  });

  it('when IN and NOT IN are used, then they test membership in the comma list', () => {
    expect(users('user_nameINcat,ann')).toEqual(['ann', 'cat']);
    expect(users('user_nameNOT INcat,ann')).toEqual(['ben']);
  });

  it('when ISEMPTY and ISNOTEMPTY are used, then empty references count as empty', () => {
    expect(users('companyISEMPTY')).toEqual(['cat']);
    expect(users('companyISNOTEMPTY')).toEqual(['ann', 'ben']);
  });

  it('when a field is dot-walked through a reference, then the referenced record decides', () => {
    expect(users('company.name=Globex')).toEqual(['ben']);
    expect(users('company.nameSTARTSWITHAC^ORcompany.name=Globex')).toEqual(['ann', 'ben']);
  });

  it('when dates are compared, then raw and gs.dateGenerate forms work and empty dates never match', () => {
    expect(users('sys_created_on>2026-01-01 08:00:00')).toEqual(['ben', 'cat']);
    expect(users('sys_created_on>=2026-01-01 08:01:00^sys_created_on<2026-01-01 08:02:00')).toEqual(['ben']);
    expect(users("sys_created_on<=javascript:gs.dateGenerate('2026-01-01','08:00:00')")).toEqual(['ann']);
    expect(users('sys_created_on>2026-01-01')).toEqual(['ann', 'ben', 'cat']);
  });

  it('when a term names an unknown field, an unknown operator, or a bad date, then only that term is dropped', () => {
    expect(users('no_such_field=1^user_name=ben')).toEqual(['ben']);
    expect(users('user_nameSOUNDSLIKEbenn')).toEqual(['ann', 'ben', 'cat']);
    expect(users('sys_created_on>yesterday^active=false')).toEqual(['cat']);
    expect(users('NQuser_name=ann')).toEqual(['ann', 'ben', 'cat']);
    expect(users('company.bogus=1')).toEqual(['ann', 'ben', 'cat']);
  });

  it('when ORDERBY and ORDERBYDESC are given, then they sort in order of appearance and ties keep insertion order', () => {
    expect(users('ORDERBYDESCsys_created_on')).toEqual(['cat', 'ben', 'ann']);
    expect(users('ORDERBYactive^ORDERBYDESCuser_name')).toEqual(['cat', 'ben', 'ann']);
    expect(users('ORDERBYcompany.name')).toEqual(['cat', 'ann', 'ben']);
    expect(users('ORDERBYno_such_field')).toEqual(['ann', 'ben', 'cat']);
  });

  it('when plain field=value pairs come from the URL, then they filter like = terms', () => {
    expect(users('', [['user_name', 'ben']])).toEqual(['ben']);
    expect(users('', [['no_such_field', 'x']])).toEqual(['ann', 'ben', 'cat']);
  });

  it('when integers are compared, then they compare as numbers, not strings', () => {
    const item = (state: string) => store.insert('sc_req_item', { state }, { actor: 't' }).number!;
    const [minus, ten, two] = [item('-5'), item('10'), item('2')];
    const numbers = (q: string) =>
      runQuery(store, 'sc_req_item', store.rows('sc_req_item'), parseEncodedQuery('sc_req_item', q)).map(
        (r) => r.number,
      );

    expect(numbers('state>1')).toEqual([ten, two]);
    expect(numbers('ORDERBYstate')).toEqual([minus, two, ten]);
  });

  it('when dates are parsed, then the three accepted forms give the same instant and others none', () => {
    const at = Date.UTC(2026, 4, 6, 7, 8, 9);
    expect(parseQueryDate('2026-05-06 07:08:09')).toBe(at);
    expect(parseQueryDate("javascript:gs.dateGenerate('2026-05-06','07:08:09')")).toBe(at);
    expect(parseQueryDate('2026-05-06')).toBe(Date.UTC(2026, 4, 6));
    expect(parseQueryDate('06/05/2026')).toBeUndefined();
  });
});
