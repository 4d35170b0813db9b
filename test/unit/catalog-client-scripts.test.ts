/**
 * The catalog client scripts in the generated update set, run in node:vm with a fake g_form: they
 * accept and refuse exactly what the connector's variable validation accepts and refuses, so a
 * tenant is told about a bad answer on the form instead of by a refused request.
 */
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { loadCatalog, type VariableDefinition } from '../../src/catalog/definitions';
import { catalogItemSysId } from '../../src/catalog/sys-ids';
import { createVariableParser } from '../../src/catalog/variables';
import { generateUpdateSet } from '../../src/catalog/update-set/build';
import { variableSysId } from '../../src/catalog/update-set/records';
import { childElements, onlyChild, parseXml, textOf } from '../../src/catalog/update-set/xml-reader';
import type { CatalogItemKey } from '../../src/items/definitions';
import { fakeForm } from '../helpers/servicenow-sandbox';

const catalog = loadCatalog();
const parser = createVariableParser(catalog);
const UUID = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

interface ClientScript {
  readonly item: string;
  readonly type: string;
  readonly variable: string;
  readonly script: string;
}

const clientScripts: ClientScript[] = childElements(parseXml(generateUpdateSet().xml), 'sys_update_xml')
  .map((update) => parseXml(textOf(onlyChild(update, 'payload'))))
  .filter((payload) => payload.attributes.table === 'catalog_script_client')
  .map((payload) => {
    const row = onlyChild(payload, 'catalog_script_client');
    const field = (name: string) => textOf(onlyChild(row, name));
    return {
      item: field('cat_item'),
      type: field('type'),
      variable: field('cat_variable'),
      script: field('script'),
    };
  });

function onSubmit(key: CatalogItemKey, values: Record<string, string>) {
  const script = clientScripts.find((s) => s.item === catalogItemSysId(key) && s.type === 'onSubmit')!;
  const form = fakeForm(values);
  const allowed = runInNewContext(`${script.script}\nonSubmit();`, { g_form: form.g_form }) as boolean;
  return { allowed, messages: form.messages };
}

function onChange(key: CatalogItemKey, name: string, value: string, isLoading = false) {
  const script = clientScripts.find(
    (s) => s.type === 'onChange' && s.variable === `IO:${variableSysId(key, name)}`,
  )!;
  const form = fakeForm({ [name]: value });
  runInNewContext(`${script.script}\nonChange(null, '', newValue, isLoading);`, {
    g_form: form.g_form,
    newValue: value,
    isLoading,
  });
  return form.messages;
}

/** The connector's verdict on one answer: its message, or '' when it accepts it. */
function connectorProblem(key: CatalogItemKey, variable: VariableDefinition, value: string): string {
  const problem = parser
    .check(key, { [variable.name]: value })
    .find((p) => p.path === `variables.${variable.name}`);
  return problem?.message ?? '';
}

describe('catalog client scripts', () => {
  it("when an instance id is not a UUID, then onChange says so under the field in the definition's words", () => {
    expect(onChange('storware_backup_now', 'instance_id', 'vm-1')).toEqual([
      {
        field: 'instance_id',
        message: 'Instance ID must be an instance UUID such as 3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
        type: 'error',
      },
    ]);
    expect(onChange('storware_backup_now', 'instance_id', UUID)).toEqual([]);
    expect(onChange('storware_backup_now', 'instance_id', '')).toEqual([]);
    expect(onChange('storware_backup_now', 'instance_id', 'vm-1', true)).toEqual([]);
  });

  it('when the form is submitted with broken answers, then onSubmit blocks it and marks each field', () => {
    const result = onSubmit('storware_backup_now', {
      instance_id: 'vm-1',
      priority: '101',
      backup_type: 'FULL',
    });
    expect(result.allowed).toBe(false);
    expect(result.messages.map((m) => m.field)).toEqual(['instance_id', 'priority']);
    expect(result.messages[1]!.message).toBe('Priority (0-100) must be a whole number from 0 to 100');
  });

  it('when every item is submitted with its defaults and a valid instance, then onSubmit lets it through', () => {
    for (const [key, item] of catalog) {
      const values = Object.fromEntries(item.variables.map((v) => [v.name, v.default ?? '']));
      expect(onSubmit(key, { ...values, instance_id: UUID })).toEqual({ allowed: true, messages: [] });
    }
  });

  it('when a text answer is longer than the connector takes, then onSubmit refuses it too', () => {
    const result = onSubmit('storware_restore_point', { instance_id: UUID, target_name: 'x'.repeat(300) });
    expect(result.allowed).toBe(false);
    expect(result.messages[0]!.message).toContain('at most 255 characters');
  });

  it('property: for every rule, the form refuses exactly what the connector refuses', () => {
    const rules = [...catalog].flatMap(([key, item]) =>
      item.variables.filter((v) => v.validation !== undefined).map((variable) => ({ key, variable })),
    );
    const samples = fc.oneof(
      fc.constantFrom(
        UUID,
        ` ${UUID} `,
        UUID.toUpperCase(),
        'latest',
        '0',
        '100',
        '-1',
        '101',
        '007',
        'web-1',
        'a,b',
        'default, web',
      ),
      fc.string({
        unit: fc.constantFrom('a', 'F', '0', '9', '-', '_', '.', ':', ',', ' ', 'é'),
        maxLength: 40,
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...rules), samples, ({ key, variable }, value) => {
        fc.pre(value.trim() !== ''); // empty answers are ServiceNow's mandatory check, not ours
        const messages = onChange(key, variable.name, value);
        const expected = connectorProblem(key, variable, value);
        expect(messages.map((m) => m.message)).toEqual(
          expected === '' ? [] : [`${variable.question} ${expected}`],
        );
      }),
      { numRuns: 500 },
    );
  });
});
