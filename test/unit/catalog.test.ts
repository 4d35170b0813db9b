import { buildCatalog, loadCatalog, requiredVariables } from '../../src/catalog/definitions';
import { createVariableParser, parseServiceNowDateTime } from '../../src/catalog/variables';
import { ConfigError, ValidationError } from '../../src/errors';
import { CATALOG_ITEM_KEYS } from '../../src/items/definitions';

const catalog = loadCatalog();
const parser = createVariableParser(catalog);
const INSTANCE = '11111111-1111-4111-8111-000000000001';

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ValidationError) {
      return e.details;
    }
    throw e;
  }
  throw new Error('expected an error');
}

describe('catalog definitions', () => {
  it('when the shipped definitions are loaded, then all three items validate with the variables the connector needs', () => {
    expect([...catalog.keys()].sort()).toEqual([...CATALOG_ITEM_KEYS].sort());
    for (const key of CATALOG_ITEM_KEYS) {
      const names = catalog.get(key)!.variables.map((v) => v.name);
      expect(names).toEqual(expect.arrayContaining(Object.keys(requiredVariables(key))));
    }
    expect(catalog.get('storware_restore_point')!.approval.mode).toBe('always');
  });

  it('when a definition drops a needed variable or retypes it, then loading fails naming both', () => {
    const item = structuredClone(catalog.get('storware_backup_now')!) as {
      variables: Array<{ name: string; type: string }>;
    };
    item.variables = item.variables.filter((v) => v.name !== 'instance_id');
    item.variables.find((v) => v.name === 'window_start')!.type = 'single_line_text';
    const docs = [
      { file: 'a.yaml', data: item },
      { file: 'b.yaml', data: catalog.get('storware_restore_point') },
      { file: 'c.yaml', data: catalog.get('storware_protect_vm') },
    ];
    const found = problems(() => buildCatalog(docs));
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'a.yaml:variables', message: expect.stringContaining('"instance_id"') },
        { path: 'a.yaml:variables.window_start', message: 'must be date_time, not single_line_text' },
      ]),
    );
  });

  it('when a restore definition stops requiring approval, then it is refused', () => {
    const restore = { ...catalog.get('storware_restore_point')!, approval: { mode: 'tenant-config' } };
    const found = problems(() =>
      buildCatalog([
        { file: 'r.yaml', data: restore },
        { file: 'b.yaml', data: catalog.get('storware_backup_now') },
        { file: 'p.yaml', data: catalog.get('storware_protect_vm') },
      ]),
    );
    expect(found).toContainEqual({ path: 'r.yaml:approval.mode', message: 'restores always need approval' });
  });

  it('when an item is missing, then the catalog says which', () => {
    const found = problems(() =>
      buildCatalog([{ file: 'b.yaml', data: catalog.get('storware_backup_now') }]),
    );
    expect(found.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'no definition for storware_restore_point',
        'no definition for storware_protect_vm',
      ]),
    );
  });
});

describe('variables derived from the definitions', () => {
  it('when a backup request has only the instance, then defaults fill the rest and types are converted', () => {
    expect(parser.parse('storware_backup_now', { instance_id: INSTANCE })).toEqual({
      instance_id: INSTANCE,
      backup_type: 'INCREMENTAL',
      priority: 50,
    });
  });

  it('when a backup request has a window, then the times become epoch ms (UTC)', () => {
    const parsed = parser.parse('storware_backup_now', {
      instance_id: INSTANCE,
      backup_type: 'FULL',
      priority: '90',
      window_start: '2026-11-28 22:00:00',
      window_end: '2026-11-29T04:00:00Z',
    });
    expect(parsed).toMatchObject({
      backup_type: 'FULL',
      priority: 90,
      window_start: Date.UTC(2026, 10, 28, 22),
      window_end: Date.UTC(2026, 10, 29, 4),
    });
  });

  it('when variables break rules, then every problem names its variable in the words of the definition', () => {
    const found = problems(() =>
      parser.parse('storware_backup_now', {
        instance_id: 'vm-1',
        backup_type: 'DIFFERENTIAL',
        priority: '101',
        window_start: 'tomorrow',
      }),
    );
    expect(found).toEqual([
      { path: 'variables.instance_id', message: expect.stringContaining('must be an instance UUID') },
      { path: 'variables.backup_type', message: 'must be one of INCREMENTAL, FULL' },
      { path: 'variables.priority', message: 'must be a whole number from 0 to 100' },
      { path: 'variables.window_start', message: expect.stringContaining('must be a date and time') },
    ]);
  });

  it('when a mandatory variable is empty, then it is refused', () => {
    expect(problems(() => parser.parse('storware_backup_now', { instance_id: '  ' }))).toEqual([
      { path: 'variables.instance_id', message: 'is mandatory (Instance ID)' },
    ]);
  });

  it('when an unknown variable is sent, then it is refused (no mass assignment)', () => {
    expect(parser.check('storware_backup_now', { instance_id: INSTANCE, project_id: 'x' })).toEqual([
      { path: 'variables.project_id', message: 'is not a variable of storware_backup_now' },
    ]);
  });

  it('when a value is not a string, then the problem says so', () => {
    expect(parser.check('storware_backup_now', { instance_id: 42 })).toEqual([
      { path: 'variables.instance_id', message: 'must be a string' },
    ]);
  });

  it('when the window ends before it starts, then window_end is named', () => {
    expect(
      parser.check('storware_backup_now', {
        instance_id: INSTANCE,
        window_start: '2026-11-28 22:00:00',
        window_end: '2026-11-28 21:00:00',
      }),
    ).toEqual([{ path: 'variables.window_end', message: 'must be later than window_start' }]);
  });

  it('when a restore overwrites and also names a target, then target_name is refused', () => {
    expect(
      parser.check('storware_restore_point', {
        instance_id: INSTANCE,
        overwrite: 'true',
        target_name: 'copy',
      }),
    ).toEqual([
      { path: 'variables.target_name', message: expect.stringContaining('must be empty when overwriting') },
    ]);
  });

  it('when a restore is parsed, then booleans and security group lists are typed', () => {
    expect(
      parser.parse('storware_restore_point', {
        instance_id: INSTANCE,
        backup_point: 'latest',
        overwrite: 'false',
        security_groups: 'default, web',
      }),
    ).toEqual({
      instance_id: INSTANCE,
      backup_point: 'latest',
      overwrite: false,
      security_groups: ['default', 'web'],
    });
  });

  it('when protect is parsed with an unknown tier, then the choices are listed', () => {
    expect(parser.check('storware_protect_vm', { instance_id: INSTANCE, policy_tier: 'platinum' })).toEqual([
      { path: 'variables.policy_tier', message: 'must be one of gold, silver, bronze' },
    ]);
  });

  it('when variables are not an object, then that is the problem', () => {
    expect(parser.check('storware_protect_vm', ['x'])).toEqual([
      { path: 'variables', message: 'must be an object of variable answers' },
    ]);
  });
});

describe('parseServiceNowDateTime', () => {
  it.each([
    ['2026-02-30 10:00:00', undefined],
    ['2026-11-28 10:00', undefined],
    ['2026-11-28T10:00:00+01:00', Date.UTC(2026, 10, 28, 9)],
    ['2026-11-28 23:59:59', Date.UTC(2026, 10, 28, 23, 59, 59)],
  ])('when given %s, then %s', (input, expected) => {
    expect(parseServiceNowDateTime(input)).toBe(expected);
  });
});
