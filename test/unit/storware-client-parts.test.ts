/**
 * The Storware client's pure parts: answer normalisation (docs/storware-api.md §3, §6, §9), the
 * cookie jar (docs/storware-api.md §2), failure classification and URL building. No network.
 */
import { CookieJar } from '../../src/clients/storware/cookie-jar';
import { httpFailure, parseRetryAfter, remoteMessageOf } from '../../src/clients/storware/errors';
import { buildPath, buildQuery, normalizeBaseUrl } from '../../src/clients/storware/http';
import {
  enumName,
  toBackup,
  toTask,
  toTaskBatch,
  toVm,
  totalCount,
} from '../../src/clients/storware/normalize';
import { isTerminalTaskState } from '../../src/clients/storware';
import { UpstreamError } from '../../src/errors';

const noScrub = (text: string) => text;

describe('normalisation of Storware answers', () => {
  it('when an enum is an object or a bare string, then both give the name (docs/storware-api.md §3)', () => {
    expect(enumName({ name: 'FULL', description: 'Full' })).toBe('FULL');
    expect(enumName('FULL')).toBe('FULL');
    expect(enumName(null)).toBeUndefined();
    expect(enumName({ description: 'no name' })).toBeUndefined();
  });

  it('when a task has nulls, then they read as absent and epoch ms stay as sent', () => {
    const task = toTask('getTask', {
      guid: 't1',
      type: { name: 'EXPORT', description: 'Export' },
      state: 'RUNNING',
      progress: 66.5,
      windowStart: 1_793_610_000_123,
      windowEnd: null,
      statusInfo: null,
      protectedEntity: { guid: 'vm1', name: 'acme-web-01' },
      parentTask: null,
    });
    expect(task).toEqual({
      guid: 't1',
      type: 'EXPORT',
      state: 'RUNNING',
      stateName: 'RUNNING',
      progress: 66.5,
      windowStart: 1_793_610_000_123,
      protectedEntity: { guid: 'vm1', name: 'acme-web-01' },
    });
  });

  it('when a task state is not one of the five documented, then it is UNKNOWN (not terminal) and the raw name is kept (docs/storware-api.md §6)', () => {
    const task = toTask('getTask', { guid: 't', type: 'EXPORT', state: { name: 'PAUSED' } });
    expect(task).toMatchObject({ state: 'UNKNOWN', stateName: 'PAUSED' });
    expect(isTerminalTaskState(task.state)).toBe(false);
  });

  it('when an object lacks its guid, then the answer is rejected as unexpected (retryable)', () => {
    expect(() => toTask('getTask', { type: 'EXPORT' })).toThrow(UpstreamError);
    expect(() => toVm('getVirtualMachine', 'text')).toThrow(/without a guid/);
  });

  it.each([
    ['one task', { guid: 'a', state: 'QUEUED' }, ['a'], []],
    ['an array', [{ guid: 'a' }, { guid: 'b' }], ['a', 'b'], []],
    [
      'the bulk result',
      { successful: [{ guid: 'vm' }], unsuccessful: [{ guid: 'x', name: 'vm-x' }], tasks: [{ guid: 'a' }] },
      ['a'],
      [{ guid: 'x', name: 'vm-x' }],
    ],
    ['an empty body', '', [], []],
  ])(
    'when a task-creating answer is %s, then tasks and refusals are read (docs/storware-api.md §6, §9)',
    (_label, body, guids, unsuccessful) => {
      const batch = toTaskBatch('createExportTask', body);
      expect(batch.tasks.map((t) => t.guid)).toEqual(guids);
      expect(batch.unsuccessful).toEqual(unsuccessful);
    },
  );

  it('when a task-creating answer is something else, then it is rejected', () => {
    expect(() => toTaskBatch('createExportTask', { hello: 'world' })).toThrow(UpstreamError);
  });

  it('when a backup is read, then type/status names, size and locations are kept (docs/storware-api.md §7 Backup)', () => {
    const backup = toBackup('listBackups', {
      guid: 'b1',
      type: { name: 'INCREMENTAL' },
      status: { name: 'SUCCESS' },
      size: 1_024,
      snapshotTime: 1_700_000_000_000,
      backupLocations: [
        { guid: 'l1', backup: { guid: 'b1' }, status: { name: 'PRESENT' }, roleType: 'PRIMARY' },
      ],
    });
    expect(backup).toEqual({
      guid: 'b1',
      type: 'INCREMENTAL',
      status: 'SUCCESS',
      size: 1_024,
      snapshotTime: 1_700_000_000_000,
      locations: [{ guid: 'l1', backupGuid: 'b1', status: 'PRESENT', roleType: 'PRIMARY' }],
    });
  });

  it('when X-Total-Count is present, then it is the total; garbage is ignored', () => {
    expect(totalCount({ 'x-total-count': '42' })).toBe(42);
    expect(totalCount({ 'x-total-count': 'many' })).toBeUndefined();
    expect(totalCount({})).toBeUndefined();
  });
});

describe('cookie jar (docs/storware-api.md §2: keep every Set-Cookie)', () => {
  it('when cookies are set, replaced and expired, then the header follows', () => {
    const jar = new CookieJar();
    jar.store(['JSESSIONID=abc; Path=/api; HttpOnly', 'LB=node1; Path=/']);
    expect(jar.header()).toBe('JSESSIONID=abc; LB=node1');
    jar.store('JSESSIONID=def; Path=/api');
    expect(jar.header()).toBe('JSESSIONID=def; LB=node1');
    jar.store(['LB=; Max-Age=0', 'JSESSIONID=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header()).toBeUndefined();
  });
});

describe('failure classification', () => {
  it.each([
    [500, true],
    [502, true],
    [408, true],
    [429, true],
    [401, true],
    [400, false],
    [403, false],
    [404, false],
    [409, false],
  ])('when Storware answers %i, then retryable is %s', (status, retryable) => {
    const error = httpFailure('listTasks', status, {}, { message: 'm' }, noScrub);
    expect(error).toMatchObject({
      system: 'storware',
      status,
      retryable,
      remoteMessage: 'm',
      operation: 'listTasks',
    });
  });

  it('when Retry-After is seconds or a date, then it becomes seconds', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', Date.UTC(2026, 0, 1))).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('when the remote message holds a secret or is huge, then it is scrubbed and cut', () => {
    const scrub = (t: string) => t.replaceAll('hunter2', '[redacted]');
    expect(remoteMessageOf({ message: 'password hunter2 wrong' }, scrub)).toBe('password [redacted] wrong');
    expect(remoteMessageOf({ message: 'x'.repeat(2_000) }, noScrub)!.length).toBeLessThanOrEqual(501);
    expect(remoteMessageOf('<html>', noScrub)).toBeUndefined();
  });
});

describe('URL building', () => {
  it('when path parameters contain URL syntax, then each stays one encoded segment', () => {
    expect(buildPath('/tasks/{guid}/state', { guid: '../x?y#z' })).toBe('/tasks/..%2Fx%3Fy%23z/state');
    expect(buildPath('/virtual-machines/{guid}', { guid: 'https://evil.example' })).toBe(
      '/virtual-machines/https%3A%2F%2Fevil.example',
    );
  });

  it('when a route is not a path below the base URL or lacks a value, then it is refused', () => {
    expect(() => buildPath('//evil.example/api')).toThrow(TypeError);
    expect(() => buildPath('https://evil.example/api')).toThrow(TypeError);
    expect(() => buildPath('/tasks/{guid}', {})).toThrow(TypeError);
  });

  it('when a query has arrays and gaps, then arrays repeat and gaps vanish (docs/storware-api.md §5 repeatable filters)', () => {
    expect(buildQuery({ states: ['QUEUED', 'RUNNING'], type: 'EXPORT', page: 0, missing: undefined })).toBe(
      '?states=QUEUED&states=RUNNING&type=EXPORT&page=0',
    );
    expect(buildQuery({})).toBe('');
  });

  it('when the base URL is normalised, then a trailing slash goes and unsafe forms are refused', () => {
    expect(normalizeBaseUrl('https://storware.example:8181/api/')).toBe('https://storware.example:8181/api');
    expect(() => normalizeBaseUrl('https://u:p@storware.example/api')).toThrow(TypeError);
    expect(() => normalizeBaseUrl('ftp://storware.example/api')).toThrow(TypeError);
  });
});
