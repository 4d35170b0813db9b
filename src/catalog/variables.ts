/**
 * Variable validation derived from the catalog definitions.
 *
 * ServiceNow hands variable answers over as strings (Table API values, and the webhook's copy of
 * them). Each item's definition becomes a zod schema over `Record<string, string>` that checks
 * every rule the form declares (mandatory, choices, patterns, integer ranges) and converts the
 * strings into typed values. Errors name the variable (`variables.instance_id`) and say what is
 * expected, in the definition's own words. Cross-field rules that a form cannot express live with
 * each item (src/items/<item>/definition.ts).
 */
import { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../errors';
import { ITEM_DEFINITIONS, type CatalogItemKey, type ItemVariables } from '../items/definitions';
import type { ItemDefinition } from '../items/item-definition';
import type { VariableValue } from './variable-types';
import type { Catalog, CatalogItemDefinition, VariableDefinition } from './definitions';

/** `YYYY-MM-DD HH:MM:SS` (Table API raw value, UTC) or ISO 8601 with a zone → epoch ms. */
export function parseServiceNowDateTime(value: string): number | undefined {
  const raw = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (raw) {
    const [, y, mo, d, h, mi, s] = raw.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(ms);
    // Reject 2026-02-30 and the like instead of letting Date roll it over.
    return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function variableSchema(v: VariableDefinition): z.ZodType<VariableValue> {
  const base = z.string({ error: 'must be a string' });
  return base.transform((input, ctx): VariableValue => {
    const value = input.trim();
    if (value === '') {
      if (v.mandatory) {
        ctx.addIssue({ code: 'custom', message: `is mandatory (${v.question})` });
        return z.NEVER;
      }
      return undefined;
    }
    switch (v.type) {
      case 'select_box': {
        const choices = v.choices ?? [];
        if (!choices.some((c) => c.value === value)) {
          ctx.addIssue({
            code: 'custom',
            message: `must be one of ${choices.map((c) => c.value).join(', ')}`,
          });
          return z.NEVER;
        }
        return value;
      }
      case 'checkbox':
      case 'yes_no': {
        const lower = value.toLowerCase();
        if (lower === 'true' || lower === 'yes') {
          return true;
        }
        if (lower === 'false' || lower === 'no') {
          return false;
        }
        ctx.addIssue({ code: 'custom', message: 'must be true or false' });
        return z.NEVER;
      }
      case 'date_time':
      case 'date': {
        const ms = parseServiceNowDateTime(
          v.type === 'date' && value.length === 10 ? `${value} 00:00:00` : value,
        );
        if (ms === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be a date and time like 2026-11-28 22:00:00 (UTC)' });
          return z.NEVER;
        }
        return ms;
      }
      case 'single_line_text':
      case 'multi_line_text': {
        const rule = v.validation;
        const maxLength = rule?.maxLength ?? (v.type === 'single_line_text' ? 255 : 4000);
        if (value.length > maxLength) {
          ctx.addIssue({ code: 'custom', message: `must be at most ${maxLength} characters` });
          return z.NEVER;
        }
        if (rule?.pattern !== undefined && !new RegExp(rule.pattern).test(value)) {
          ctx.addIssue({ code: 'custom', message: rule.message });
          return z.NEVER;
        }
        if (rule?.integer !== undefined) {
          const n = Number(value);
          if (!/^-?\d+$/.test(value) || n < rule.integer.min || n > rule.integer.max) {
            ctx.addIssue({ code: 'custom', message: rule.message });
            return z.NEVER;
          }
          return n;
        }
        return value;
      }
    }
  });
}

export interface VariableParser {
  /** Validates raw answers; unknown variables are refused (mass assignment). */
  parse<K extends CatalogItemKey>(item: K, raw: unknown): ItemVariables[K];
  /** Same, returning problems instead of throwing. */
  check(item: CatalogItemKey, raw: unknown): ErrorDetail[];
}

/**
 * Builds the parser for every item in the catalog. An answer set may omit variables (ServiceNow
 * only records what was answered): missing ones take the definition's default, and a missing
 * mandatory one without a default is refused.
 */
export function createVariableParser(catalog: Catalog): VariableParser {
  const schemas = new Map<
    CatalogItemKey,
    { item: CatalogItemDefinition; shape: Record<string, z.ZodType<VariableValue>> }
  >();
  for (const [key, item] of catalog) {
    schemas.set(key, {
      item,
      shape: Object.fromEntries(item.variables.map((v) => [v.name, variableSchema(v)])),
    });
  }

  function run(
    itemKey: CatalogItemKey,
    raw: unknown,
  ): { values?: Record<string, VariableValue>; problems: ErrorDetail[] } {
    const entry = schemas.get(itemKey);
    if (!entry) {
      return { problems: [{ path: 'cat_item', message: `unknown catalog item ${itemKey}` }] };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { problems: [{ path: 'variables', message: 'must be an object of variable answers' }] };
    }
    const input = raw as Record<string, unknown>;
    const problems: ErrorDetail[] = [];
    for (const name of Object.keys(input)) {
      if (!(name in entry.shape)) {
        problems.push({ path: `variables.${name}`, message: `is not a variable of ${itemKey}` });
      }
    }
    const values: Record<string, VariableValue> = {};
    for (const variable of entry.item.variables) {
      const given = input[variable.name];
      const rawValue = given === undefined || given === null ? (variable.default ?? '') : given;
      const result = entry.shape[variable.name]!.safeParse(rawValue);
      if (result.success) {
        values[variable.name] = result.data;
      } else {
        for (const issue of result.error.issues) {
          problems.push({ path: `variables.${variable.name}`, message: issue.message });
        }
      }
    }
    if (problems.length === 0) {
      problems.push(...((ITEM_DEFINITIONS[itemKey] as ItemDefinition).crossFieldRule?.(values) ?? []));
    }
    return problems.length > 0 ? { problems } : { values, problems };
  }

  function finish(itemKey: CatalogItemKey, values: Record<string, VariableValue>): unknown {
    return (ITEM_DEFINITIONS[itemKey] as ItemDefinition).finishVariables?.(values) ?? values;
  }

  return {
    parse<K extends CatalogItemKey>(itemKey: K, raw: unknown): ItemVariables[K] {
      const { values, problems } = run(itemKey, raw);
      if (!values) {
        throw new ValidationError(`Variables of ${itemKey} are not valid`, problems, 'invalid_variables');
      }
      // Dropping undefined keys keeps the typed objects honest for `in` checks and JSON.
      const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
      return finish(itemKey, defined) as ItemVariables[K];
    },
    check(itemKey, raw) {
      return run(itemKey, raw).problems;
    },
  };
}
