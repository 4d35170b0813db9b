import fc from 'fast-check';
import {
  decodeCursor,
  decodeEvent,
  decodeSummary,
  decodeTasks,
  encodeCursor,
  encodeEvent,
  encodePatch,
  encodeTaskFields,
  isSafeToken,
  newRequestId,
} from '../../src/ledger/codec';
import { isTerminalState, REQUEST_STATES, TERMINAL_STATES } from '../../src/ledger/types';

const MAIN = {
  ritmSysId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  number: 'RITM0010001',
  item: 'storware_backup_now',
  state: 'running',
  step: 'execute',
  createdAt: '1767225600000',
  updatedAt: '1767225601000',
  cancelRequested: '0',
};

describe('ledger codec', () => {
  it('when request ids are made, then they are r- plus 32 hex digits and do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newRequestId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^r-[0-9a-f]{32}$/);
    }
  });

  it('when a cursor is encoded, then it decodes to itself, and anything else decodes to undefined', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.stringMatching(/^[0-9a-f]{32}$/), (score, hex) => {
        const cursor = { score, requestId: `r-${hex}` };
        expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const decoded = decodeCursor(junk);
        expect(decoded === undefined || /^r-[0-9a-f]{32}$/.test(decoded.requestId)).toBe(true);
      }),
    );
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
  });

  it('when an event is encoded, then it decodes to the same event, with or without data', () => {
    expect(decodeEvent(encodeEvent(5, { type: 'a.b', message: 'm' }))).toEqual({
      at: 5,
      type: 'a.b',
      message: 'm',
    });
    expect(decodeEvent(encodeEvent(6, { type: 'a.b', message: 'm', data: { x: [1] } }))).toEqual({
      at: 6,
      type: 'a.b',
      message: 'm',
      data: { x: [1] },
    });
    expect(decodeEvent('not json')).toBeUndefined();
    expect(decodeEvent('{"at":1,"type":"t","message":"m"}')).toBeUndefined();
    expect(decodeEvent('["1","t","m"]')).toBeUndefined();
  });

  it('when a patch is encoded, then nulls become deletions and objects JSON', () => {
    expect(
      encodePatch({
        state: 'failed',
        cancelRequested: true,
        lastError: null,
        approval: { by: 'x' },
        ticketState: '4',
        window: undefined,
      }),
    ).toEqual({
      set: [
        ['state', 'failed'],
        ['cancelRequested', '1'],
        ['ticketState', '4'],
        ['approval', '{"by":"x"}'],
      ],
      del: ['lastError'],
    });
  });

  it('when task fields are not flat scalars, then encoding refuses them', () => {
    expect(() => encodeTaskFields({ nested: { a: 1 } }, false)).toThrow(TypeError);
    expect(() => encodeTaskFields({ n: Number.NaN }, false)).toThrow(TypeError);
    expect(() => encodeTaskFields({ gone: null }, false)).toThrow(TypeError);
    expect(encodeTaskFields({ gone: null, s: 'x', b: false }, true)).toBe('{"gone":null,"s":"x","b":false}');
  });

  it('when the stored hashes are read, then a summary comes back and broken optional fields are dropped', () => {
    const summary = decodeSummary('r-' + 'a'.repeat(32), MAIN, {
      jobIds: 'run-1,t-2',
      lastError: '{"code":"c"}',
      approval: 'not json',
      result: '{"sizeBytes":10}',
    });
    expect(summary).toEqual({
      requestId: 'r-' + 'a'.repeat(32),
      ritmSysId: MAIN.ritmSysId,
      number: MAIN.number,
      item: 'storware_backup_now',
      state: 'running',
      step: 'execute',
      createdAt: 1767225600000,
      updatedAt: 1767225601000,
      jobIds: ['run-1', 't-2'],
      cancelRequested: false,
      result: { sizeBytes: 10 },
    });
  });

  it('when identity fields are missing or unknown, then there is no summary', () => {
    expect(decodeSummary('r-x', {}, {})).toBeUndefined();
    expect(decodeSummary('r-x', { ...MAIN, state: 'paused' }, {})).toBeUndefined();
    expect(decodeSummary('r-x', { ...MAIN, item: 'other' }, {})).toBeUndefined();
    expect(decodeSummary('r-x', { ...MAIN, createdAt: 'yesterday' }, {})).toBeUndefined();
  });

  it('when the data hash holds tasks among other fields, then only readable tasks come back, by step', () => {
    expect(
      decodeTasks({
        'task:execute':
          '{"guid":"g","type":"EXPORT","state":"RUNNING","createdAt":1,"progress":5,"x":{"y":1}}',
        'task:broken': '{"guid":"g"}',
        result: '{"guid":"g","type":"EXPORT","state":"RUNNING","createdAt":1}',
      }),
    ).toEqual({ execute: { guid: 'g', type: 'EXPORT', state: 'RUNNING', createdAt: 1, progress: 5 } });
  });

  it('when tokens are checked, then key-breaking characters and long values are refused', () => {
    expect(isSafeToken('acme-prod_1.2')).toBe(true);
    for (const bad of ['', 'a:b', 'a,b', 'a b', 'x'.repeat(65), 'é']) {
      expect(isSafeToken(bad)).toBe(false);
    }
  });

  it('when states are classified, then exactly the five closing states are terminal', () => {
    expect(REQUEST_STATES.filter(isTerminalState)).toEqual([...TERMINAL_STATES]);
  });
});
