/**
 * The generated update set: it is well-formed XML, holds every item, variable and choice with the
 * right type codes and sys_ids (the ones the simulator and the reconciler use), ships the scripts
 * byte for byte, is the same on every run and is what is committed; and the generator refuses
 * definitions it cannot ship, listing every problem.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCatalogDir, loadCatalog } from '../../src/catalog/definitions';
import { VARIABLE_TYPE_CODES } from '../../src/catalog/variable-types';
import { catalogItemSysId } from '../../src/catalog/sys-ids';
import { defaultUpdateSetFile, generateUpdateSet, run } from '../../src/catalog/update-set/build';
import { checkDefinitionsForUpdateSet } from '../../src/catalog/update-set/check-definitions';
import { BUSINESS_RULE_CONDITION, SERVICE_CATALOG } from '../../src/catalog/update-set/records';
import { readScript, scriptsDir, SCRIPT_FILES } from '../../src/catalog/update-set/servicenow-scripts';
import { RELEASED_ON, UPDATE_SET_NAME } from '../../src/catalog/update-set/update-set-xml';
import {
  childElements,
  onlyChild,
  parseXml,
  textOf,
  type XmlElement,
} from '../../src/catalog/update-set/xml-reader';
import { variableSysId as simulatorVariableSysId } from '../../src/simulators/servicenow/fixtures';
import { CATALOG_ITEM_KEYS } from '../../src/items/definitions';

const catalog = loadCatalog();
const generated = generateUpdateSet();

interface ReadRecord {
  readonly table: string;
  readonly update: XmlElement;
  readonly row: XmlElement;
  value(field: string): string | undefined;
  display(field: string): string | undefined;
}

/** The update set as ServiceNow would read it: every sys_update_xml with its parsed payload. */
function readUpdateSet(xml: string): { root: XmlElement; records: ReadRecord[] } {
  const root = parseXml(xml);
  const records = childElements(root, 'sys_update_xml').map((update): ReadRecord => {
    const payload = parseXml(textOf(onlyChild(update, 'payload')));
    const table = payload.attributes.table!;
    const row = onlyChild(payload, table);
    const field = (name: string) => childElements(row, name)[0];
    return {
      table,
      update,
      row,
      value: (name) => {
        const el = field(name);
        return el === undefined ? undefined : textOf(el);
      },
      display: (name) => field(name)?.attributes.display_value,
    };
  });
  return { root, records };
}

const { root, records } = readUpdateSet(generated.xml);
const byId = new Map(records.map((r) => [`${r.table}:${r.value('sys_id')}`, r]));
const find = (table: string, sysId: string) => {
  const found = byId.get(`${table}:${sysId}`);
  if (!found) {
    throw new Error(`no ${table} ${sysId} in the update set`);
  }
  return found;
};
const ofTable = (table: string) => records.filter((r) => r.table === table);

describe('the generated update set', () => {
  it('when the shipped definitions are checked for ServiceNow, then the generator finds no problem', () => {
    expect(checkDefinitionsForUpdateSet(catalog)).toEqual([]);
  });

  it('when it is read, then it is one remote update set with one sys_update_xml per shipped record', () => {
    expect(root.name).toBe('unload');
    const set = onlyChild(root, 'sys_remote_update_set');
    expect(textOf(onlyChild(set, 'name'))).toBe(UPDATE_SET_NAME);
    expect(textOf(onlyChild(set, 'state'))).toBe('loaded');
    expect(records).toHaveLength(generated.records.length);

    const setId = textOf(onlyChild(set, 'sys_id'));
    for (const record of records) {
      const sysId = record.value('sys_id')!;
      expect(sysId).toMatch(/^[0-9a-f]{32}$/);
      expect(textOf(onlyChild(record.update, 'name'))).toBe(`${record.table}_${sysId}`);
      expect(record.value('sys_update_name')).toBe(`${record.table}_${sysId}`);
      expect(textOf(onlyChild(record.update, 'remote_update_set'))).toBe(setId);
      expect(textOf(onlyChild(record.update, 'action'))).toBe('INSERT_OR_UPDATE');
      expect(textOf(onlyChild(record.update, 'update_guid'))).toMatch(/^[0-9a-f]{32}$/);
      expect(record.row.attributes.action).toBe('INSERT_OR_UPDATE');
    }
    expect(new Set(records.map((r) => r.value('sys_id'))).size).toBe(records.length);
  });

  it('when the catalog items are looked up by the sys_ids the connector knows, then each one is there as defined', () => {
    for (const key of CATALOG_ITEM_KEYS) {
      const item = catalog.get(key)!;
      const record = find('sc_cat_item', catalogItemSysId(key));
      expect(record.value('name')).toBe(item.name);
      expect(record.value('short_description')).toBe(item.shortDescription);
      expect(record.value('description')).toMatch(/^<p>.+<\/p>$/);
      expect(record.display('category')).toBe(item.category);
      expect(record.value('sc_catalogs')).toBe(SERVICE_CATALOG.sysId);
      expect(record.value('order')).toBe(String(item.order));
      expect(record.value('no_quantity')).toBe('true');
      // Fulfilment is the connector's; an approval flow an admin attaches must survive re-imports.
      expect(record.value('workflow')).toBeUndefined();
      expect(record.value('flow_designer_flow')).toBeUndefined();
      const category = find('sc_category', record.value('category')!);
      expect(category.value('title')).toBe(item.category);
    }
    expect(ofTable('sc_cat_item')).toHaveLength(3);
  });

  it('when the variables are looked up, then each has its type code, question, mandatory, default, help and order', () => {
    const expectedCodes = { single_line_text: '6', select_box: '5', checkbox: '7', date_time: '10' } as const;
    let count = 0;
    for (const [key, item] of catalog) {
      item.variables.forEach((variable, index) => {
        count += 1;
        const record = find('item_option_new', simulatorVariableSysId(key, variable.name));
        expect({
          name: record.value('name'),
          type: record.value('type'),
          question_text: record.value('question_text'),
          mandatory: record.value('mandatory'),
          default_value: record.value('default_value'),
          help_text: record.value('help_text'),
          order: record.value('order'),
          cat_item: record.value('cat_item'),
        }).toEqual({
          name: variable.name,
          type: expectedCodes[variable.type as keyof typeof expectedCodes],
          question_text: variable.question,
          mandatory: String(variable.mandatory),
          default_value: variable.default ?? '',
          help_text: variable.help ?? '',
          order: String((index + 1) * 100),
          cat_item: catalogItemSysId(key),
        });
        expect(record.value('type')).toBe(String(VARIABLE_TYPE_CODES[variable.type]));
      });
    }
    expect(ofTable('item_option_new')).toHaveLength(count);
  });

  it('when the select boxes are looked up, then every choice is there, in order, under its variable', () => {
    for (const [key, item] of catalog) {
      for (const variable of item.variables.filter((v) => v.type === 'select_box')) {
        const choices = ofTable('question_choice')
          .filter((c) => c.value('question') === simulatorVariableSysId(key, variable.name))
          .sort((a, b) => Number(a.value('order')) - Number(b.value('order')))
          .map((c) => ({ value: c.value('value'), label: c.value('text') }));
        expect(choices).toEqual(variable.choices);
      }
    }
    expect(ofTable('question_choice')).toHaveLength(5);
  });

  it('when the validation is looked up, then every item has an onSubmit script and every rule an onChange on its variable', () => {
    const scripts = ofTable('catalog_script_client');
    for (const [key, item] of catalog) {
      const mine = scripts.filter((s) => s.value('cat_item') === catalogItemSysId(key));
      expect(mine.filter((s) => s.value('type') === 'onSubmit')).toHaveLength(1);
      const onChange = mine.filter((s) => s.value('type') === 'onChange').map((s) => s.value('cat_variable'));
      const validated = item.variables.filter((v) => v.validation !== undefined);
      expect(onChange.sort()).toEqual(
        validated.map((v) => `IO:${simulatorVariableSysId(key, v.name)}`).sort(),
      );
      for (const script of mine) {
        expect(script.value('script')).not.toContain('var RULES = [];');
        expect(script.value('ui_type')).toBe('10');
        expect(script.value('applies_catalog')).toBe('true');
      }
    }
  });

  it('when the business rule is looked up, then it runs after insert and update of the three items with the shipped condition', () => {
    const [rule, ...others] = ofTable('sys_script');
    expect(others).toEqual([]);
    expect({
      collection: rule!.value('collection'),
      when: rule!.value('when'),
      insert: rule!.value('action_insert'),
      update: rule!.value('action_update'),
      delete: rule!.value('action_delete'),
      advanced: rule!.value('advanced'),
      condition: rule!.value('condition'),
      filter: rule!.value('filter_condition'),
      script: rule!.value('script'),
    }).toEqual({
      collection: 'sc_req_item',
      when: 'after',
      insert: 'true',
      update: 'true',
      delete: 'false',
      advanced: 'true',
      condition: BUSINESS_RULE_CONDITION,
      filter: `cat_itemIN${CATALOG_ITEM_KEYS.map(catalogItemSysId).join(',')}^EQ`,
      script: readScript('businessRule'),
    });
  });

  it('when the scripts are looked up, then the script include, event and script action are shipped byte for byte', () => {
    const [include] = ofTable('sys_script_include');
    expect(include!.value('name')).toBe('StorwareConnectorWebhook');
    expect(include!.value('api_name')).toBe('global.StorwareConnectorWebhook');
    expect(include!.value('script')).toBe(
      readFileSync(join(scriptsDir(), SCRIPT_FILES.scriptInclude), 'utf8'),
    );

    const [registration] = ofTable('sysevent_register');
    const [action] = ofTable('sysevent_script_action');
    expect(registration!.value('event_name')).toBe('x_storware.connector.ritm_webhook');
    expect(registration!.value('table')).toBe('sc_req_item');
    expect(action!.value('event_name')).toBe('x_storware.connector.ritm_webhook');
    expect(action!.value('script')).toBe(readScript('scriptAction'));
  });

  it('when the properties are looked up, then endpoint, secrets and user exist without values, the secret as password2', () => {
    const properties = ofTable('sys_properties').map((p) => ({
      name: p.value('name'),
      type: p.value('type'),
      value: p.value('value'),
    }));
    expect(properties).toEqual([
      { name: 'x_storware.connector.webhook_url', type: 'string', value: undefined },
      { name: 'x_storware.connector.webhook_secrets', type: 'password2', value: undefined },
      { name: 'x_storware.connector.integration_user', type: 'string', value: undefined },
    ]);
  });

  it('when it is generated twice, then the bytes are the same and the only timestamp is the fixed release date', () => {
    expect(generateUpdateSet().xml).toBe(generated.xml);
    const stamps = new Set(generated.xml.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/g));
    expect([...stamps]).toEqual([RELEASED_ON]);
    expect(generated.xml.endsWith('</unload>\n')).toBe(true);
    expect(generated.xml).not.toContain('\r');
  });

  it('when the committed file is checked, then it is what the definitions produce now', () => {
    expect(readFileSync(defaultUpdateSetFile(), 'utf8')).toBe(generated.xml);
  });
});

describe('the catalog:build command', () => {
  let dir: string;
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-build-'));
    lines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function copyDir(from: string, to: string, edit: (file: string, text: string) => string = (_f, t) => t) {
    for (const file of readdirSync(from, { withFileTypes: true })) {
      if (file.isFile()) {
        writeFileSync(join(to, file.name), edit(file.name, readFileSync(join(from, file.name), 'utf8')));
      }
    }
  }

  it('when it writes and then checks, then both succeed; a stale or missing file fails the check with the fix', () => {
    const file = join(dir, 'set.xml');
    expect(run(['--check'], { file, ...io })).toBe(1);
    expect(lines.join('\n')).toMatch(/set\.xml is missing[\s\S]*npm run catalog:build/);

    expect(run([], { file, ...io })).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(generated.xml);
    expect(run(['--check'], { file, ...io })).toBe(0);

    writeFileSync(file, generated.xml.replace('Back up my instance now', 'Back up my VM now'));
    lines.length = 0;
    expect(run(['--check'], { file, ...io })).toBe(1);
    expect(lines[0]).toMatch(/is stale: .* from line \d+/);
  });

  it('when an argument is unknown, then it says how to call it', () => {
    expect(run(['--chek'], { file: join(dir, 'x.xml'), ...io })).toBe(2);
    expect(lines[0]).toContain('usage');
  });

  it('when a definition changes, then only the changed record gets a new update_guid', () => {
    copyDir(defaultCatalogDir(), dir, (file, text) =>
      file === 'storware_backup_now.yaml'
        ? text.replace('question: Backup type', 'question: Kind of backup')
        : text,
    );
    const changed = readUpdateSet(generateUpdateSet({ catalogDir: dir }).xml).records;
    const guid = (r: ReadRecord) => textOf(onlyChild(r.update, 'update_guid'));
    const differing = changed
      .filter((r, i) => guid(r) !== guid(records[i]!))
      .map((r) => `${r.table}:${r.value('name') ?? r.value('text')}`);
    // The variable, and its two choices (their question reference shows the question text).
    expect(differing).toEqual([
      'item_option_new:backup_type',
      'question_choice:Incremental',
      'question_choice:Full',
    ]);
  });

  it('when definitions are broken in several ways, then the build refuses and lists every problem', () => {
    copyDir(defaultCatalogDir(), dir, (file, text) => {
      if (file === 'storware_restore_point.yaml') {
        return text
          .replace('default: latest', 'default: newest')
          .replace('- name: flavor', '- name: flavour');
      }
      if (file === 'storware_protect_vm.yaml') {
        return text
          .replace('{ value: bronze, label: Bronze }', '{ value: gold, label: Bronze }')
          .replace(/help: Starts a full backup.*/, 'help: "Starts\\u0007 a full backup."');
      }
      return text;
    });
    copyFileSync(
      join(defaultCatalogDir(), 'storware_backup_now.yaml'),
      join(dir, 'storware_backup_now.yaml'),
    );

    expect(run([], { file: join(dir, 'out.xml'), catalogDir: dir, ...io })).toBe(1);
    const output = lines.join('\n');
    expect(output).toMatch(/cannot be built into an update set \(\d+ problem/);
    expect(output).toContain('storware_restore_point.yaml:variables');
    expect(output).toContain('"flavor"');
    expect(readdirSync(dir)).not.toContain('out.xml');
  });

  it('when the definitions load but cannot be shipped, then every generator check is listed', () => {
    copyDir(defaultCatalogDir(), dir, (file, text) => {
      if (file === 'storware_restore_point.yaml') {
        return text.replace('default: latest', 'default: newest');
      }
      if (file === 'storware_protect_vm.yaml') {
        return text
          .replace('{ value: bronze, label: Bronze }', '{ value: gold, label: Bronze }')
          .replace(/help: Starts a full backup.*/, 'help: "Starts\\u0007 a full backup."');
      }
      return text;
    });
    expect(run([], { file: join(dir, 'out.xml'), catalogDir: dir, ...io })).toBe(1);
    const output = lines.join('\n');
    expect(output).toContain(
      '(storware_restore_point):variables.backup_point.default: "newest" must be "latest"',
    );
    expect(output).toContain('(storware_protect_vm):variables[1].choices: value "gold" appears twice');
    expect(output).toContain('(storware_protect_vm):variables[2].help: contains U+0007');
  });

  it('when the script include maps the catalog items wrongly, then the build says which map to write', () => {
    const scripts = mkdtempSync(join(tmpdir(), 'catalog-scripts-'));
    try {
      copyDir(scriptsDir(), scripts, (file, text) =>
        file === SCRIPT_FILES.scriptInclude
          ? text.replace("'storware_backup_now'", "'storware_backup'")
          : text,
      );
      expect(run([], { file: join(dir, 'out.xml'), scriptsDir: scripts, ...io })).toBe(1);
      expect(lines.join('\n')).toContain(
        `CATALOG_ITEMS: must map the shipped catalog item sys_ids to their keys`,
      );
      expect(lines.join('\n')).toContain(catalogItemSysId('storware_backup_now'));
    } finally {
      rmSync(scripts, { recursive: true, force: true });
    }
  });

  it('when a script has CR LF line ends and "]]>", then it ships with LF and reads back exactly', () => {
    copyDir(scriptsDir(), dir, (file, text) =>
      file === SCRIPT_FILES.scriptAction
        ? `// if (a[b[0]]>1) <x> & y\r\n${text.replace(/\n/g, '\r\n')}`
        : text,
    );
    const shipped = readUpdateSet(generateUpdateSet({ scriptsDir: dir }).xml).records.find(
      (r) => r.table === 'sysevent_script_action',
    );
    expect(shipped!.value('script')).toBe(`// if (a[b[0]]>1) <x> & y\n${readScript('scriptAction')}`);
  });
});
