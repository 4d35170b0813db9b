/**
 * The ServiceNow records the connector ships, built from the catalog definitions and the scripts:
 *
 *   sc_category              the category of the items ("Backup and Recovery")
 *   sc_cat_item              one per item; no workflow, flow or execution plan (see below)
 *   item_option_new          every variable: type code, question, mandatory, default, help, order
 *   question_choice          every select box choice, in order
 *   catalog_script_client    validation: one onSubmit per item, one onChange per variable with a rule
 *   sys_properties           endpoint, secrets, integration user (values left for the admin)
 *   sys_script_include       StorwareConnectorWebhook (builds, signs and sends the webhook)
 *   sysevent_register        the event the business rule queues
 *   sys_script               the business rule on sc_req_item
 *   sysevent_script_action   sends the queued webhook in the background
 *
 * Every sys_id is deterministic (src/catalog/sys-ids.ts), so importing a newer update set updates
 * these records instead of adding copies. Fields are listed the way ServiceNow names them; system
 * fields (sys_created_on, sys_scope, …) are added by update-set-xml.ts.
 */
import { CATALOG_ITEM_KEYS, type CatalogItemKey } from '../../items/definitions';
import { type Catalog, type CatalogItemDefinition, type VariableDefinition } from '../definitions';
import { VARIABLE_TYPE_CODES } from '../variable-types';
import { catalogItemSysId, deterministicSysId } from '../sys-ids';
import { clientRuleFor, renderClientScript, SCRIPT_FILES, type ShippedScripts } from './servicenow-scripts';

/** A field value: plain text, or a value with attributes (references carry `display_value`). */
export type FieldValue =
  string | { readonly value: string; readonly attributes: Readonly<Record<string, string>> };

export interface ShippedRecord {
  readonly table: string;
  readonly sysId: string;
  /** sys_update_xml.type: the table's label, as ServiceNow shows it in the update set. */
  readonly typeLabel: string;
  /** sys_update_xml.target_name and the record's sys_name: how people recognise the record. */
  readonly displayName: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** The out-of-box "Service Catalog" (sc_catalog) every instance has. */
export const SERVICE_CATALOG = {
  sysId: 'e0d08b13c3330100c8b837659bba8fb4',
  name: 'Service Catalog',
} as const;

export const BUSINESS_RULE_NAME = 'Storware connector: notify on RITM changes';
export const SCRIPT_ACTION_NAME = 'Storware connector: send webhook';

/**
 * The business rule's condition: run only when the change calls for a webhook. The decision is
 * StorwareConnectorWebhook.classify() (unit-tested with fakes); a filter condition cannot say
 * "any variable changed" or "closed by someone other than the connector".
 */
export const BUSINESS_RULE_CONDITION = "new StorwareConnectorWebhook().classify(current, previous) !== ''";

const reference = (sysId: string, display: string): FieldValue => ({
  value: sysId,
  attributes: { display_value: display },
});
const bool = (b: boolean): string => (b ? 'true' : 'false');

export function variableSysId(key: CatalogItemKey, name: string): string {
  return deterministicSysId('item_option_new', key, name);
}

export function categorySysId(title: string): string {
  return deterministicSysId('sc_category', title);
}

/** Plain text with blank-line paragraphs → the HTML the catalog item's description field holds. */
export function descriptionHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escape(paragraph.replace(/\s*\n\s*/g, ' ').trim())}</p>`)
    .join('');
}

function categoryRecord(title: string): ShippedRecord {
  return {
    table: 'sc_category',
    sysId: categorySysId(title),
    typeLabel: 'Category',
    displayName: title,
    fields: {
      active: 'true',
      description: 'Back up, restore and protect OpenStack instances with Storware Backup and Recovery.',
      parent: '',
      sc_catalog: reference(SERVICE_CATALOG.sysId, SERVICE_CATALOG.name),
      title,
    },
  };
}

function itemRecord(item: CatalogItemDefinition): ShippedRecord {
  return {
    table: 'sc_cat_item',
    sysId: catalogItemSysId(item.key),
    typeLabel: 'Catalog Item',
    displayName: item.name,
    fields: {
      active: 'true',
      availability: 'on_desktop',
      category: reference(categorySysId(item.category), item.category),
      description: descriptionHtml(item.description),
      // No workflow, flow_designer_flow or delivery_plan: the connector does the fulfilment, so the
      // items are created without any. They are left out rather than written empty because the
      // approvals restores need come from a flow or approval rule the instance adds (README,
      // "ServiceNow administrators"), and re-importing a newer update set must not detach it.
      meta: `storware backup restore openstack ${item.key}`,
      name: item.name,
      // One RITM per order: a quantity of two would be two restores of the same thing.
      no_cart: 'true',
      no_quantity: 'true',
      order: String(item.order),
      sc_catalogs: SERVICE_CATALOG.sysId,
      short_description: item.shortDescription,
      type: 'item',
      use_sc_layout: 'true',
    },
  };
}

function variableRecord(
  item: CatalogItemDefinition,
  variable: VariableDefinition,
  index: number,
): ShippedRecord {
  return {
    table: 'item_option_new',
    sysId: variableSysId(item.key, variable.name),
    typeLabel: 'Variable',
    displayName: variable.question,
    fields: {
      active: 'true',
      cat_item: reference(catalogItemSysId(item.key), item.name),
      default_value: variable.default ?? '',
      help_text: variable.help ?? '',
      // A mandatory select box with a default must not offer "-- None --".
      include_none: bool(variable.type === 'select_box' && !variable.mandatory),
      mandatory: bool(variable.mandatory),
      name: variable.name,
      // The simulator and the connector expect (index + 1) * 100 (src/simulators/servicenow/fixtures.ts).
      order: String((index + 1) * 100),
      question_text: variable.question,
      read_only: 'false',
      show_help: bool(variable.help !== undefined),
      type: String(VARIABLE_TYPE_CODES[variable.type]),
      visible_standalone: 'true',
    },
  };
}

function choiceRecords(item: CatalogItemDefinition, variable: VariableDefinition): ShippedRecord[] {
  return (variable.choices ?? []).map((choice, index) => ({
    table: 'question_choice',
    sysId: deterministicSysId('question_choice', item.key, variable.name, choice.value),
    typeLabel: 'Question Choice',
    displayName: `${variable.question}: ${choice.label}`,
    fields: {
      inactive: 'false',
      order: String((index + 1) * 100),
      question: reference(variableSysId(item.key, variable.name), variable.question),
      text: choice.label,
      value: choice.value,
    },
  }));
}

function clientScriptRecords(item: CatalogItemDefinition, scripts: ShippedScripts): ShippedRecord[] {
  const itemRef = reference(catalogItemSysId(item.key), item.name);
  const common = {
    active: 'true',
    applies_catalog: 'true',
    applies_req_item: 'false',
    applies_sc_task: 'false',
    applies_to: 'item',
    cat_item: itemRef,
    // 10 = All (desktop, mobile and Service Portal).
    ui_type: '10',
  };
  const rules = item.variables.flatMap((v) => {
    const rule = clientRuleFor(v);
    return rule === undefined ? [] : [{ variable: v, rule }];
  });
  const records: ShippedRecord[] = [];
  if (rules.length > 0) {
    const name = `Storware: validate ${item.name}`;
    records.push({
      table: 'catalog_script_client',
      sysId: deterministicSysId('catalog_script_client', item.key, 'onSubmit'),
      typeLabel: 'Catalog Client Script',
      displayName: name,
      fields: {
        ...common,
        cat_variable: '',
        description:
          'Blocks the order while an answer breaks its rule (catalog-items/*.yaml); shipped by storware-itsm-connector.',
        name,
        order: '100',
        script: renderClientScript(
          scripts.onSubmitTemplate,
          rules.map((r) => r.rule),
          SCRIPT_FILES.onSubmit,
        ),
        type: 'onSubmit',
      },
    });
  }
  for (const { variable, rule } of rules) {
    if (variable.validation === undefined) {
      continue;
    }
    const name = `Storware: check ${variable.name} (${item.name})`;
    records.push({
      table: 'catalog_script_client',
      sysId: deterministicSysId('catalog_script_client', item.key, variable.name, 'onChange'),
      typeLabel: 'Catalog Client Script',
      displayName: name,
      fields: {
        ...common,
        // onChange scripts name their variable as IO:<item_option_new sys_id>.
        cat_variable: `IO:${variableSysId(item.key, variable.name)}`,
        description: `Says at once when ${variable.name} breaks its rule; shipped by storware-itsm-connector.`,
        name,
        order: '100',
        script: renderClientScript(scripts.onChangeTemplate, [rule], SCRIPT_FILES.onChange),
        type: 'onChange',
      },
    });
  }
  return records;
}

function propertyRecords(scripts: ShippedScripts): ShippedRecord[] {
  const { properties } = scripts.contract;
  // No `value` element: the first import creates the property empty, and a later import of a newer
  // update set leaves the value an admin set alone (only the fields present are written).
  const shipped: Array<{ name: string; type: string; description: string }> = [
    {
      name: properties.webhookUrl,
      type: 'string',
      description:
        'Storware ITSM connector: full URL of its webhook intake, e.g. https://connector.example.com/webhooks/servicenow',
    },
    {
      name: properties.webhookSecrets,
      type: 'password2',
      description:
        'Storware ITSM connector: Standard Webhooks secret(s) "whsec_..." shared with the connector (WEBHOOK_SECRETS). ' +
        'During a rotation put the new and the old secret, separated by a space: every delivery is signed with both.',
    },
    {
      name: properties.integrationUser,
      type: 'string',
      description:
        "Storware ITSM connector: user_name of the connector's integration account. Its own closing updates are not " +
        'reported back as cancellations.',
    },
  ];
  return shipped.map((p) => ({
    table: 'sys_properties',
    sysId: deterministicSysId('sys_properties', p.name),
    typeLabel: 'System Property',
    displayName: p.name,
    fields: { description: p.description, is_private: 'true', name: p.name, type: p.type },
  }));
}

function scriptRecords(catalog: Catalog, scripts: ShippedScripts): ShippedRecord[] {
  const { contract } = scripts;
  const items = CATALOG_ITEM_KEYS.filter((key) => catalog.has(key)).map(catalogItemSysId);
  return [
    {
      table: 'sys_script_include',
      sysId: deterministicSysId('sys_script_include', contract.className),
      typeLabel: 'Script Include',
      displayName: contract.className,
      fields: {
        access: 'public',
        active: 'true',
        api_name: `global.${contract.className}`,
        client_callable: 'false',
        description:
          'Builds, signs (Standard Webhooks, HMAC-SHA256) and sends the webhooks of the Storware catalog items to the ' +
          'storware-itsm-connector. Shipped by storware-itsm-connector; change catalog-items/ there, not here.',
        name: contract.className,
        script: scripts.scriptInclude,
      },
    },
    {
      table: 'sysevent_register',
      sysId: deterministicSysId('sysevent_register', contract.eventName),
      typeLabel: 'Event Registration',
      displayName: contract.eventName,
      fields: {
        description:
          'A Storware catalog request changed in a way the storware-itsm-connector must hear about.',
        event_name: contract.eventName,
        fired_by: `Business rule "${BUSINESS_RULE_NAME}"`,
        queue: '',
        table: 'sc_req_item',
      },
    },
    {
      table: 'sys_script',
      sysId: deterministicSysId('sys_script', 'sc_req_item', BUSINESS_RULE_NAME),
      typeLabel: 'Business Rule',
      displayName: BUSINESS_RULE_NAME,
      fields: {
        abort_action: 'false',
        action_delete: 'false',
        action_insert: 'true',
        action_query: 'false',
        action_update: 'true',
        active: 'true',
        advanced: 'true',
        collection: 'sc_req_item',
        condition: BUSINESS_RULE_CONDITION,
        description:
          'Queues a webhook to the storware-itsm-connector when a Storware catalog request is submitted, its approval or ' +
          'variables change, or it is cancelled. "after" (not async) because deciding needs `previous`; the sending ' +
          `happens in the background (script action "${SCRIPT_ACTION_NAME}").`,
        filter_condition: { value: `cat_itemIN${items.join(',')}^EQ`, attributes: { table: 'sc_req_item' } },
        name: BUSINESS_RULE_NAME,
        order: '1000',
        priority: '100',
        script: scripts.businessRule,
        when: 'after',
      },
    },
    {
      table: 'sysevent_script_action',
      sysId: deterministicSysId('sysevent_script_action', SCRIPT_ACTION_NAME),
      typeLabel: 'Script Action',
      displayName: SCRIPT_ACTION_NAME,
      fields: {
        active: 'true',
        condition_script: '',
        description:
          'Sends one queued Storware connector webhook; failed deliveries are queued again with a delay.',
        event_name: contract.eventName,
        name: SCRIPT_ACTION_NAME,
        order: '100',
        script: scripts.scriptAction,
      },
    },
  ];
}

/** Every record, in a fixed order: referenced records come before the ones that reference them. */
export function buildRecords(catalog: Catalog, scripts: ShippedScripts): ShippedRecord[] {
  const items = [...catalog.values()].sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  const categories = [...new Set(items.map((i) => i.category))].sort();
  return [
    ...categories.map(categoryRecord),
    ...items.flatMap((item) => [
      itemRecord(item),
      ...item.variables.flatMap((v, i) => [variableRecord(item, v, i), ...choiceRecords(item, v)]),
      ...clientScriptRecords(item, scripts),
    ]),
    ...propertyRecords(scripts),
    ...scriptRecords(catalog, scripts),
  ];
}
