/**
 * The ServiceNow scripts the update set ships, read from src/catalog/servicenow-scripts/*.js. They
 * live there as real files so they are linted (ES5, eslint.config.mjs) and run in tests (node:vm
 * with fakes of the Glide APIs) exactly as they are shipped.
 *
 * The script include states its own contract (event name, property names, the catalog item map);
 * the generator reads those constants by evaluating the file, so the update set's records and the
 * code that uses them cannot disagree. The client scripts get their rules from the definitions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { CATALOG_ITEM_KEYS } from '../../items/definitions';
import type { ErrorDetail } from '../../errors';
import { projectRoot } from '../../paths';
import type { VariableDefinition } from '../definitions';
import { catalogItemSysId } from '../sys-ids';

export const SCRIPT_FILES = {
  scriptInclude: 'storware-connector-webhook.script-include.js',
  businessRule: 'notify-connector.business-rule.js',
  scriptAction: 'send-webhook.script-action.js',
  onSubmit: 'validate-variables.on-submit.client.js',
  onChange: 'validate-variable.on-change.client.js',
} as const;
export type ScriptName = keyof typeof SCRIPT_FILES;

export function scriptsDir(): string {
  return join(projectRoot(), 'src', 'catalog', 'servicenow-scripts');
}

/** A script's source with LF line ends (CDATA cannot keep a CR, and Git may add them on Windows). */
export function readScript(name: ScriptName, dir: string = scriptsDir()): string {
  return readFileSync(join(dir, SCRIPT_FILES[name]), 'utf8').replace(/\r\n?/g, '\n');
}

export interface ScriptIncludeContract {
  readonly className: string;
  readonly eventName: string;
  readonly properties: Readonly<
    Record<'webhookUrl' | 'webhookSecrets' | 'integrationUser' | 'maxAttempts', string>
  >;
  readonly catalogItems: Readonly<Record<string, string>>;
}

/**
 * Evaluates the script include with only `Class` defined (declaring it touches nothing else) and
 * reads its static constants.
 */
export function readScriptIncludeContract(source: string): ScriptIncludeContract {
  const sandbox: Record<string, unknown> = {
    Class: {
      create: () =>
        function (this: { initialize?: (...args: unknown[]) => void }, ...args: unknown[]) {
          this.initialize?.(...args);
        },
    },
  };
  runInNewContext(`${source}\nthis.__class = StorwareConnectorWebhook;`, sandbox, {
    filename: SCRIPT_FILES.scriptInclude,
  });
  const cls = sandbox.__class as Record<string, unknown> & { prototype: { type?: unknown } };
  const copy = <T>(value: unknown): T => JSON.parse(JSON.stringify(value ?? null)) as T;
  return {
    className: String(cls.prototype.type),
    eventName: String(cls.EVENT_NAME),
    properties: copy(cls.PROPERTIES),
    catalogItems: copy(cls.CATALOG_ITEMS),
  };
}

/** Problems with the script include's contract, e.g. a catalog item map that is out of date. */
export function checkScriptIncludeContract(contract: ScriptIncludeContract): ErrorDetail[] {
  const where = `src/catalog/servicenow-scripts/${SCRIPT_FILES.scriptInclude}`;
  const problems: ErrorDetail[] = [];
  const expected = Object.fromEntries(CATALOG_ITEM_KEYS.map((key) => [catalogItemSysId(key), key]));
  const actual = contract.catalogItems ?? {};
  const same =
    Object.keys(actual).length === CATALOG_ITEM_KEYS.length &&
    Object.entries(expected).every(([sysId, key]) => actual[sysId] === key);
  if (!same) {
    problems.push({
      path: `${where}:CATALOG_ITEMS`,
      message: `must map the shipped catalog item sys_ids to their keys: ${JSON.stringify(expected)}`,
    });
  }
  if (contract.className !== 'StorwareConnectorWebhook') {
    problems.push({ path: `${where}:type`, message: 'must be "StorwareConnectorWebhook"' });
  }
  for (const name of ['webhookUrl', 'webhookSecrets', 'integrationUser', 'maxAttempts'] as const) {
    if (!/^[a-z0-9_.]{3,100}$/.test(contract.properties?.[name] ?? '')) {
      problems.push({ path: `${where}:PROPERTIES.${name}`, message: 'must be a system property name' });
    }
  }
  if (!/^[a-z0-9_.]{3,40}$/.test(contract.eventName)) {
    problems.push({ path: `${where}:EVENT_NAME`, message: 'must be an event name of at most 40 characters' });
  }
  return problems;
}

/** What the client scripts check for one variable; mirrors src/catalog/variables.ts. */
export interface ClientRule {
  readonly name: string;
  readonly label: string;
  readonly message: string;
  readonly maxLength: number;
  readonly pattern?: string;
  readonly integer?: { readonly min: number; readonly max: number };
}

/** Text variables get a rule (length at least, as the connector caps every text answer). */
export function clientRuleFor(variable: VariableDefinition): ClientRule | undefined {
  if (variable.type !== 'single_line_text' && variable.type !== 'multi_line_text') {
    return undefined;
  }
  const validation = variable.validation;
  return {
    name: variable.name,
    label: variable.question,
    message: validation?.message ?? '',
    maxLength: validation?.maxLength ?? (variable.type === 'single_line_text' ? 255 : 4000),
    ...(validation?.pattern === undefined ? {} : { pattern: validation.pattern }),
    ...(validation?.integer === undefined ? {} : { integer: validation.integer }),
  };
}

const RULES_MARKER = 'var RULES = [];';

/**
 * A client script template with its rules filled in. The JSON is made safe for a script embedded
 * in HTML (`<` escaped) and for pre-ES2019 parsers (U+2028/U+2029 escaped).
 */
export function renderClientScript(template: string, rules: readonly ClientRule[], file: string): string {
  const at = template.indexOf(RULES_MARKER);
  if (at < 0 || template.indexOf(RULES_MARKER, at + 1) >= 0) {
    throw new Error(`${file} must contain "${RULES_MARKER}" exactly once`);
  }
  const json = JSON.stringify(rules)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return template.slice(0, at) + `var RULES = ${json};` + template.slice(at + RULES_MARKER.length);
}

export interface ShippedScripts {
  readonly scriptInclude: string;
  readonly businessRule: string;
  readonly scriptAction: string;
  readonly onSubmitTemplate: string;
  readonly onChangeTemplate: string;
  readonly contract: ScriptIncludeContract;
}

export function loadShippedScripts(dir: string = scriptsDir()): ShippedScripts {
  const scriptInclude = readScript('scriptInclude', dir);
  return {
    scriptInclude,
    businessRule: readScript('businessRule', dir),
    scriptAction: readScript('scriptAction', dir),
    onSubmitTemplate: readScript('onSubmit', dir),
    onChangeTemplate: readScript('onChange', dir),
    contract: readScriptIncludeContract(scriptInclude),
  };
}
