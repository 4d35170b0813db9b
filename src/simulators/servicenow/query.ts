/**
 * The encoded-query subset (docs/servicenow.md §1 "Query parameters", §7): terms joined by `^` (AND) and
 * `^OR` (OR with the previous term, binding tighter than AND), operators `=`, `!=`, `LIKE`,
 * `NOT LIKE`, `STARTSWITH`, `ENDSWITH`, `IN`, `NOT IN`, `ISEMPTY`, `ISNOTEMPTY`, `>`, `>=`, `<`,
 * `<=` (dates, numbers), ordering with `ORDERBY` / `ORDERBYDESC`, and dot-walked field paths.
 *
 * As on an instance without `glide.invalid_query.returns_no_rows`, a term naming an unknown field
 * or using an unknown operator is silently dropped, which widens the result; `^NQ` (new query) is
 * outside the subset and dropped the same way. Values compare case-sensitively, as docs/servicenow.md §1
 * records for encoded queries. Date values may be `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`, or
 * `javascript:gs.dateGenerate('YYYY-MM-DD','HH:MM:SS')`.
 */
import { fieldAt, type FieldDef, type TableName } from './schema';
import type { Row, TableStore } from './tables';

type Operator =
  | '!='
  | '>='
  | '<='
  | '='
  | '>'
  | '<'
  | 'NOT LIKE'
  | 'LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'NOT IN'
  | 'IN'
  | 'ISNOTEMPTY'
  | 'ISEMPTY';

// Longest first, so `!=` wins over `=` and `NOT IN` over `IN`.
const OPERATORS: readonly Operator[] = [
  'ISNOTEMPTY',
  'ISEMPTY',
  'STARTSWITH',
  'ENDSWITH',
  'NOT LIKE',
  'NOT IN',
  'LIKE',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
];

const FIELD_PATH = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*/;

interface Condition {
  readonly path: readonly string[];
  readonly def: FieldDef;
  readonly op: Operator;
  readonly value: string;
}

export interface OrderBy {
  readonly path: readonly string[];
  readonly def: FieldDef;
  readonly desc: boolean;
}

export interface ParsedQuery {
  /** AND of OR-groups. */
  readonly groups: ReadonlyArray<readonly Condition[]>;
  readonly orderBy: readonly OrderBy[];
}

/** `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD` or gs.dateGenerate(...) → epoch ms (UTC). */
export function parseQueryDate(value: string): number | undefined {
  const generated = /^javascript:gs\.dateGenerate\('(\d{4}-\d{2}-\d{2})','(\d{2}:\d{2}:\d{2})'\)$/.exec(
    value,
  );
  const text = generated ? `${generated[1]} ${generated[2]}` : value;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function parseCondition(table: TableName, term: string): Condition | undefined {
  const field = FIELD_PATH.exec(term)?.[0];
  if (field === undefined) {
    return undefined;
  }
  const path = field.split('.');
  const target = fieldAt(table, path);
  if (!target) {
    return undefined;
  }
  const rest = term.slice(field.length);
  const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (op === undefined) {
    return undefined;
  }
  const value = rest.slice(op.length);
  if ((op === 'ISEMPTY' || op === 'ISNOTEMPTY') && value !== '') {
    return undefined;
  }
  if (
    ['>', '>=', '<', '<='].includes(op) &&
    target.def.type === 'datetime' &&
    parseQueryDate(value) === undefined
  ) {
    return undefined;
  }
  return { path, def: target.def, op, value };
}

function parseOrder(table: TableName, term: string): OrderBy | undefined {
  const desc = term.startsWith('ORDERBYDESC');
  const field = term.slice(desc ? 'ORDERBYDESC'.length : 'ORDERBY'.length);
  const path = field.split('.');
  const target = FIELD_PATH.exec(field)?.[0] === field ? fieldAt(table, path) : undefined;
  return target ? { path, def: target.def, desc } : undefined;
}

/** Parses an encoded query plus plain `field=value` pairs from the URL; never throws. */
export function parseEncodedQuery(
  table: TableName,
  query: string,
  plainPairs: ReadonlyArray<readonly [string, string]> = [],
): ParsedQuery {
  const groups: Condition[][] = [];
  const orderBy: OrderBy[] = [];
  for (const term of query === '' ? [] : query.split('^')) {
    if (term === '' || term === 'EQ') {
      continue;
    }
    if (term.startsWith('ORDERBY')) {
      const order = parseOrder(table, term);
      if (order) {
        orderBy.push(order);
      }
      continue;
    }
    const isOr = term.startsWith('OR') && groups.length > 0;
    const condition = parseCondition(table, isOr ? term.slice(2) : term);
    if (!condition) {
      continue; // Invalid terms are silently ignored (docs/servicenow.md §1).
    }
    if (isOr) {
      groups[groups.length - 1]!.push(condition);
    } else {
      groups.push([condition]);
    }
  }
  for (const [field, value] of plainPairs) {
    const condition = parseCondition(table, `${field}=${value}`);
    if (condition) {
      groups.push([condition]);
    }
  }
  return { groups, orderBy };
}

function compare(def: FieldDef, left: string, right: string): number {
  if (def.type === 'datetime') {
    // Empty dates sort first; a finite sentinel keeps "empty vs empty" at 0 rather than NaN.
    return (
      (parseQueryDate(left) ?? Number.MIN_SAFE_INTEGER) - (parseQueryDate(right) ?? Number.MIN_SAFE_INTEGER)
    );
  }
  if (def.type === 'integer' || (def.type === 'choice' && /^-?\d+$/.test(left) && /^-?\d+$/.test(right))) {
    return Number(left) - Number(right);
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

function holds(condition: Condition, actual: string): boolean {
  const { op, value, def } = condition;
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case 'LIKE':
      return actual.includes(value);
    case 'NOT LIKE':
      return !actual.includes(value);
    case 'STARTSWITH':
      return actual.startsWith(value);
    case 'ENDSWITH':
      return actual.endsWith(value);
    case 'IN':
      return value.split(',').includes(actual);
    case 'NOT IN':
      return !value.split(',').includes(actual);
    case 'ISEMPTY':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
    case '>':
      return actual !== '' && compare(def, actual, value) > 0;
    case '>=':
      return actual !== '' && compare(def, actual, value) >= 0;
    case '<':
      return actual !== '' && compare(def, actual, value) < 0;
    case '<=':
      return actual !== '' && compare(def, actual, value) <= 0;
  }
}

/**
 * A condition every answer must meet that an equality index can serve: a group of its own on a
 * direct field with `=` or `IN`. The rows it selects still go through the whole query.
 */
export function indexableCondition(query: ParsedQuery): { field: string; values: string[] } | undefined {
  for (const group of query.groups) {
    const only = group.length === 1 ? group[0] : undefined;
    if (only && only.path.length === 1 && (only.op === '=' || only.op === 'IN')) {
      return { field: only.path[0]!, values: only.op === '=' ? [only.value] : only.value.split(',') };
    }
  }
  return undefined;
}

/** Filters and orders rows; the sort is stable, so ties keep insertion order. */
export function runQuery(
  store: TableStore,
  table: TableName,
  rows: readonly Row[],
  query: ParsedQuery,
): Row[] {
  const valueAt = (row: Row, path: readonly string[]): string => store.resolve(table, row, path)?.value ?? '';
  const matched = rows.filter((row) =>
    query.groups.every((group) => group.some((condition) => holds(condition, valueAt(row, condition.path)))),
  );
  if (query.orderBy.length === 0) {
    return matched;
  }
  return matched
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      for (const order of query.orderBy) {
        const result = compare(order.def, valueAt(a.row, order.path), valueAt(b.row, order.path));
        if (result !== 0) {
          return order.desc ? -result : result;
        }
      }
      return a.index - b.index;
    })
    .map(({ row }) => row);
}
