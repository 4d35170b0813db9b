/**
 * The simulator's in-memory tables and the write semantics every path shares (Table API writes
 * and the requester side alike), per docs/servicenow.md §1, §2 and §5:
 * - every stored value is a string; references hold the target's sys_id;
 * - `sys_created_on/by`, `sys_updated_on/by` (UTC, `YYYY-MM-DD HH:MM:SS`) and `sys_mod_count` are
 *   kept by the store and cannot be written;
 * - a write to a journal field (`work_notes`, `comments`) appends a `sys_journal_field` row and
 *   leaves the field itself `""`, which is what reads return;
 * - a write that changes nothing does not bump `sys_mod_count`;
 * - tasks (sc_request, sc_req_item) become inactive with `closed_at` in a closed state (3, 4, 7)
 *   and active again otherwise [I: the platform's task business rules].
 */
import { formatNumber, type IdSource } from './ids';
import { CLOSED_STATES, SCHEMA, TABLE_NAMES, fieldAt, type FieldDef, type TableName } from './schema';

export type Row = Record<string, string>;

export interface JournalRecord {
  readonly sysId: string;
  readonly element: string;
  readonly table: string;
  readonly value: string;
  readonly createdOn: string;
  readonly createdBy: string;
}

export interface WriteOptions {
  /** `user_name` recorded as sys_created_by / sys_updated_by and as the journal author. */
  readonly actor: string;
  /** Bump sys_updated_on and sys_mod_count even when no field changes. */
  readonly touch?: boolean;
}

const FIRST_NUMBER = 10_001;
const TASK_TABLES: ReadonlySet<TableName> = new Set(['sc_request', 'sc_req_item']);

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Anything a JSON body may hold → the string ServiceNow would store. */
function toStored(value: unknown): string | undefined {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  // `{ "value": "<sys_id>" }` is sometimes sent for references.
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') {
    return value.value;
  }
  return undefined;
}

export class TableStore {
  private readonly tables = new Map<TableName, Map<string, Row>>();
  private readonly counters = new Map<string, number>();
  private readonly userIdsByName = new Map<string, string>();
  // Equality indexes on direct fields (table → field → value → sys_ids), built the first time a
  // query filters on the field and kept current by every write. A long run holds tens of thousands
  // of journal and variable rows; without them each lookup by element_id or request_item scanned
  // them all and the simulator, not the connector, became what a load test measured.
  private readonly indexes = new Map<TableName, Map<string, Map<string, Set<string>>>>();
  // Insertion order of every row, so indexed answers keep the order a full scan gives.
  private readonly insertedAt = new Map<string, number>();
  private inserted = 0;

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
  ) {
    for (const name of TABLE_NAMES) {
      this.tables.set(name, new Map());
    }
  }

  /** Rows in insertion order (the order ties keep when sorted). */
  rows(table: TableName): Row[] {
    return [...this.tables.get(table)!.values()];
  }

  get(table: TableName, sysId: string): Row | undefined {
    return this.tables.get(table)!.get(sysId);
  }

  /**
   * Rows whose direct `field` equals one of `values`, in insertion order: what a full scan with
   * `field=value` or `fieldIN…` would keep (the caller still applies the whole query).
   */
  rowsWhere(table: TableName, field: string, values: readonly string[]): Row[] {
    const index = this.indexFor(table, field);
    const ids: string[] = [];
    for (const value of new Set(values)) {
      for (const id of index.get(value) ?? []) {
        ids.push(id);
      }
    }
    // A row moved into a value by an update sits last in its set; sort to insertion order.
    ids.sort((a, b) => (this.insertedAt.get(a) ?? 0) - (this.insertedAt.get(b) ?? 0));
    const rows = this.tables.get(table)!;
    return ids.map((id) => rows.get(id)).filter((row): row is Row => row !== undefined);
  }

  private indexFor(table: TableName, field: string): Map<string, Set<string>> {
    let byField = this.indexes.get(table);
    if (!byField) {
      byField = new Map();
      this.indexes.set(table, byField);
    }
    let index = byField.get(field);
    if (!index) {
      index = new Map();
      for (const row of this.tables.get(table)!.values()) {
        addTo(index, row[field] ?? '', row.sys_id!);
      }
      byField.set(field, index);
    }
    return index;
  }

  /** Moves a row between index entries after a write changed it (`before` undefined: new row). */
  private reindex(table: TableName, row: Row, before: Row | undefined): void {
    if (!before) {
      this.inserted += 1;
      this.insertedAt.set(row.sys_id!, this.inserted);
    }
    for (const [field, index] of this.indexes.get(table) ?? []) {
      const now = row[field] ?? '';
      const was = before === undefined ? undefined : (before[field] ?? '');
      if (was === now) {
        continue;
      }
      if (was !== undefined) {
        index.get(was)?.delete(row.sys_id!);
      }
      addTo(index, now, row.sys_id!);
    }
  }

  /** The sys_id of a user by `user_name`, for journal authors and `closed_by`. */
  userIdByName(userName: string): string | undefined {
    return this.userIdsByName.get(userName);
  }

  insert(table: TableName, values: Record<string, unknown>, options: WriteOptions): Row {
    const def = SCHEMA[table];
    const stamp = formatDateTime(this.now());
    const requested = toStored(values.sys_id);
    const sysId =
      requested !== undefined && /^[0-9a-f]{32}$/.test(requested) && !this.get(table, requested)
        ? requested
        : this.ids.sysId();
    const row: Row = {};
    for (const [name, field] of Object.entries(def.fields)) {
      row[name] = field.type === 'boolean' ? 'false' : field.type === 'integer' ? '0' : '';
    }
    Object.assign(row, {
      sys_id: sysId,
      sys_created_on: stamp,
      sys_created_by: options.actor,
      sys_updated_on: stamp,
      sys_updated_by: options.actor,
      sys_mod_count: '0',
    });
    if (def.numberPrefix !== undefined) {
      row.number = this.nextNumber(def.numberPrefix);
    }
    if (TASK_TABLES.has(table)) {
      row.active = 'true';
      row.opened_at = stamp;
    }
    this.tables.get(table)!.set(sysId, row);
    const journal = this.applyFields(table, row, values);
    this.applyTaskRules(table, row, options.actor, stamp);
    this.reindex(table, row, undefined);
    this.appendJournal(table, row, journal, options.actor, stamp);
    if (table === 'sys_user' && row.user_name) {
      this.userIdsByName.set(row.user_name, sysId);
    }
    return row;
  }

  /** Applies a write; undefined when the record does not exist. */
  update(
    table: TableName,
    sysId: string,
    values: Record<string, unknown>,
    options: WriteOptions,
  ): Row | undefined {
    const row = this.get(table, sysId);
    if (!row) {
      return undefined;
    }
    const before = { ...row };
    const stamp = formatDateTime(this.now());
    const journal = this.applyFields(table, row, values);
    this.applyTaskRules(table, row, options.actor, stamp);
    const changed = Object.keys(row).some((k) => row[k] !== before[k]) || journal.length > 0;
    if (changed || options.touch === true) {
      row.sys_updated_on = stamp;
      row.sys_updated_by = options.actor;
      row.sys_mod_count = String(Number(row.sys_mod_count ?? '0') + 1);
    }
    this.reindex(table, row, before);
    this.appendJournal(table, row, journal, options.actor, stamp);
    if (table === 'sys_user' && row.user_name) {
      this.userIdsByName.set(row.user_name, sysId);
    }
    return row;
  }

  delete(table: TableName, sysId: string): boolean {
    const row = this.get(table, sysId);
    for (const [field, index] of this.indexes.get(table) ?? []) {
      index.get(row?.[field] ?? '')?.delete(sysId);
    }
    this.insertedAt.delete(sysId);
    return this.tables.get(table)!.delete(sysId);
  }

  /** Journal entries of a record, oldest first (`sys_journal_field`, docs/servicenow.md §5). */
  journal(elementId: string, element?: string): JournalRecord[] {
    return this.rowsWhere('sys_journal_field', 'element_id', [elementId])
      .filter((r) => r.element_id === elementId && (element === undefined || r.element === element))
      .map((r) => ({
        sysId: r.sys_id!,
        element: r.element!,
        table: r.name!,
        value: r.value!,
        createdOn: r.sys_created_on!,
        createdBy: r.sys_created_by!,
      }));
  }

  /**
   * The value at a dot-walked path (`requested_for.company.name`) and its field definition;
   * `""` when a reference on the way is empty or dangling; undefined for an unknown path.
   */
  resolve(
    table: TableName,
    row: Row,
    path: readonly string[],
  ): { value: string; def: FieldDef; table: TableName } | undefined {
    const target = fieldAt(table, path);
    if (!target) {
      return undefined;
    }
    let currentTable = table;
    let current: Row | undefined = row;
    for (let i = 0; i < path.length - 1; i += 1) {
      const def: FieldDef = SCHEMA[currentTable].fields[path[i]!]!;
      const next: Row | undefined = current?.[path[i]!]
        ? this.get(def.reference!, current[path[i]!]!)
        : undefined;
      currentTable = def.reference!;
      current = next;
    }
    return { value: current?.[path[path.length - 1]!] ?? '', def: target.def, table: target.table };
  }

  private nextNumber(prefix: string): string {
    const counter = this.counters.get(prefix) ?? FIRST_NUMBER;
    this.counters.set(prefix, counter + 1);
    return formatNumber(prefix, counter);
  }

  /** Writes known, writable fields; returns the journal entries to append. */
  private applyFields(
    table: TableName,
    row: Row,
    values: Record<string, unknown>,
  ): Array<{ element: string; value: string }> {
    const fields = SCHEMA[table].fields;
    const journal: Array<{ element: string; value: string }> = [];
    for (const [name, raw] of Object.entries(values)) {
      if (
        name.startsWith('sys_') ||
        name === 'number' ||
        !Object.prototype.hasOwnProperty.call(fields, name)
      ) {
        continue; // System fields are the platform's; unknown fields are ignored.
      }
      const value = toStored(raw);
      if (value === undefined) {
        continue;
      }
      if (fields[name]!.type === 'journal') {
        if (value.trim() !== '') {
          journal.push({ element: name, value });
        }
        continue;
      }
      row[name] = value;
    }
    return journal;
  }

  private applyTaskRules(table: TableName, row: Row, actor: string, stamp: string): void {
    if (!TASK_TABLES.has(table)) {
      return;
    }
    if (CLOSED_STATES.has(row.state ?? '')) {
      if (row.active !== 'false' || row.closed_at === '') {
        row.active = 'false';
        row.closed_at = row.closed_at || stamp;
        row.closed_by = row.closed_by || (this.userIdByName(actor) ?? '');
      }
    } else if (row.state !== undefined && row.state !== '') {
      row.active = 'true';
      row.closed_at = '';
      row.closed_by = '';
    }
  }

  private appendJournal(
    table: TableName,
    row: Row,
    entries: ReadonlyArray<{ element: string; value: string }>,
    actor: string,
    stamp: string,
  ): void {
    const journal = this.tables.get('sys_journal_field')!;
    for (const entry of entries) {
      const sysId = this.ids.sysId();
      const record: Row = {
        sys_id: sysId,
        element: entry.element,
        element_id: row.sys_id!,
        name: table,
        value: entry.value,
        sys_created_on: stamp,
        sys_created_by: actor,
        sys_updated_on: stamp,
        sys_updated_by: actor,
        sys_mod_count: '0',
      };
      journal.set(sysId, record);
      this.reindex('sys_journal_field', record, undefined);
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, sysId: string): void {
  let ids = index.get(value);
  if (!ids) {
    ids = new Set();
    index.set(value, ids);
  }
  ids.add(sysId);
}
