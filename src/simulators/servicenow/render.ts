/**
 * A stored row → the JSON ServiceNow answers with (docs/servicenow.md §1 "Envelopes and value shapes"):
 * - `sysparm_display_value=false` (default): raw strings; references `{link, value}`, or `""`
 *   when empty; journal fields `""`;
 * - `true`: labels for choices; references `{display_value, link}`; journal fields show their
 *   history, newest first, as the form's activity text [I];
 * - `all`: every field `{display_value, value}`, references with `link` [I], dates with
 *   `display_value_internal`;
 * - `sysparm_exclude_reference_link=true` drops the link: the reference becomes its plain value
 *   (or display value);
 * - `sysparm_fields` picks fields in the asked order, dot-walks (`user.name` as a flat key) and
 *   ignores names it does not know.
 */
import { SCHEMA, type FieldDef, type TableName } from './schema';
import type { Row, TableStore } from './tables';

export type DisplayMode = 'false' | 'true' | 'all';

export interface RenderOptions {
  /** Undefined: every field of the table. */
  readonly fields: readonly string[] | undefined;
  readonly displayValue: DisplayMode;
  readonly excludeReferenceLink: boolean;
  /** Instance URL for reference links. */
  readonly baseUrl: string;
}

export function parseDisplayMode(value: string | null): DisplayMode {
  return value === 'true' || value === 'all' ? value : 'false';
}

/** `sysparm_fields` → names, trimmed, empties and repeats dropped. */
export function parseFieldList(value: string | null): string[] | undefined {
  if (value === null || value.trim() === '') {
    return undefined;
  }
  return [
    ...new Set(
      value
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== ''),
    ),
  ];
}

function journalDisplay(store: TableStore, row: Row, element: string, def: FieldDef): string {
  return store
    .journal(row.sys_id ?? '', element)
    .reverse()
    .map((entry) => {
      const authorId = store.userIdByName(entry.createdBy);
      const author = (authorId ? store.get('sys_user', authorId)?.name : undefined) ?? entry.createdBy;
      return `${entry.createdOn} - ${author} (${def.label ?? element})\n${entry.value}\n\n`;
    })
    .join('');
}

function displayOf(store: TableStore, def: FieldDef, value: string, row: Row, element: string): string {
  switch (def.type) {
    case 'choice':
      return def.choices?.[value] ?? value;
    case 'reference': {
      if (value === '' || def.reference === undefined) {
        return '';
      }
      const target = store.get(def.reference, value);
      return target?.[SCHEMA[def.reference].display] ?? '';
    }
    case 'journal':
      return journalDisplay(store, row, element, def);
    case 'string':
    case 'integer':
    case 'boolean':
    case 'datetime':
      return value;
  }
}

function renderValue(
  store: TableStore,
  options: RenderOptions,
  def: FieldDef,
  value: string,
  owner: { row: Row; element: string },
): unknown {
  const raw = def.type === 'journal' ? '' : value;
  const link =
    def.type === 'reference' && def.reference !== undefined && value !== ''
      ? `${options.baseUrl}/api/now/table/${def.reference}/${value}`
      : undefined;
  const display = (): string => displayOf(store, def, value, owner.row, owner.element);
  switch (options.displayValue) {
    case 'false':
      if (link === undefined || options.excludeReferenceLink) {
        return raw;
      }
      return { link, value };
    case 'true':
      if (link === undefined || options.excludeReferenceLink) {
        return display();
      }
      return { display_value: display(), link };
    case 'all': {
      const out: Record<string, string> = { display_value: display(), value: raw };
      if (def.type === 'datetime') {
        out.display_value_internal = value;
      }
      if (link !== undefined && !options.excludeReferenceLink) {
        out.link = link;
      }
      return out;
    }
  }
}

export function renderRecord(
  store: TableStore,
  table: TableName,
  row: Row,
  options: RenderOptions,
): Record<string, unknown> {
  const names = options.fields ?? Object.keys(SCHEMA[table].fields);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const path = name.split('.');
    const resolved = store.resolve(table, row, path);
    if (!resolved) {
      continue; // Unknown fields are ignored (docs/servicenow.md §1).
    }
    // The owner of a dot-walked journal field is the record at the end of the walk.
    const ownerId =
      path.length === 1 ? row.sys_id : store.resolve(table, row, [...path.slice(0, -1), 'sys_id'])?.value;
    const owner = { row: { sys_id: ownerId ?? '' }, element: path[path.length - 1]! };
    out[name] = renderValue(store, options, resolved.def, resolved.value, owner);
  }
  return out;
}
