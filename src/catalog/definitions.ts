/**
 * The three catalog items, read from `catalog-items/*.yaml`. Those files are the single source of
 * truth: the update set generator builds ServiceNow's records from them, and the connector derives
 * its variable validation from them (see variables.ts), so the form a tenant fills in and the
 * checks the connector applies cannot drift apart. Loaded and validated once at start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { CATALOG_ITEM_KEYS, ITEM_DEFINITIONS, type CatalogItemKey } from '../items/definitions';
import { VARIABLE_TYPE_CODES, type VariableType } from './variable-types';
import { ConfigError, type ErrorDetail } from '../errors';
import { projectRoot } from '../paths';

const NAME = /^[a-z][a-z0-9_]{1,39}$/;

const choiceSchema = z
  .object({ value: z.string().min(1).max(40), label: z.string().min(1).max(100) })
  .strict();

const validationSchema = z
  .object({
    pattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'is not a valid regular expression')
      .optional(),
    integer: z.object({ min: z.number().int(), max: z.number().int() }).strict().optional(),
    maxLength: z.number().int().positive().max(4000).optional(),
    /** What the tenant reads when the value breaks the rule; says what is expected. */
    message: z.string().min(1).max(200),
  })
  .strict();

const variableSchema = z
  .object({
    name: z.string().regex(NAME, 'lower_snake_case, 2-40 characters'),
    type: z.enum(Object.keys(VARIABLE_TYPE_CODES) as [VariableType, ...VariableType[]]),
    question: z.string().min(1).max(200),
    mandatory: z.boolean(),
    default: z.string().max(200).optional(),
    help: z.string().max(500).optional(),
    choices: z.array(choiceSchema).min(1).optional(),
    validation: validationSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'select_box' && !v.choices) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'a select box needs choices' });
    }
    if (v.type !== 'select_box' && v.choices) {
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: `only select boxes have choices, not ${v.type}`,
      });
    }
    if (v.choices && v.default !== undefined && !v.choices.some((c) => c.value === v.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'default is not one of the choices' });
    }
    if (v.type === 'checkbox' && v.default !== undefined && v.default !== 'true' && v.default !== 'false') {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'a checkbox default is "true" or "false"' });
    }
  });
export type VariableDefinition = z.infer<typeof variableSchema>;

const itemSchema = z
  .object({
    key: z.enum(CATALOG_ITEM_KEYS),
    name: z.string().min(1).max(100),
    shortDescription: z.string().min(1).max(160),
    description: z.string().min(1).max(4000),
    category: z.string().min(1).max(100),
    order: z.number().int().min(0),
    action: z.enum(['storware.export', 'storware.restore', 'storware.assign-policy']),
    approval: z
      .object({ mode: z.enum(['always', 'tenant-config']), note: z.string().max(300).optional() })
      .strict(),
    variables: z.array(variableSchema).min(1),
  })
  .strict()
  .superRefine((item, ctx) => {
    const names = new Set<string>();
    item.variables.forEach((v, i) => {
      if (names.has(v.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variables', i, 'name'],
          message: `"${v.name}" is defined twice`,
        });
      }
      names.add(v.name);
    });
    if (ITEM_DEFINITIONS[item.key].approvalAlwaysRequired && item.approval.mode !== 'always') {
      ctx.addIssue({
        code: 'custom',
        path: ['approval', 'mode'],
        message: `${ITEM_DEFINITIONS[item.key].noun}s always need approval`,
      });
    }
  });
export type CatalogItemDefinition = z.infer<typeof itemSchema>;

/** Variables each item's code relies on, with their types (see src/items/<item>/definition.ts). */
export function requiredVariables(key: CatalogItemKey): Readonly<Record<string, VariableType>> {
  return ITEM_DEFINITIONS[key].requiredVariables;
}

export type Catalog = ReadonlyMap<CatalogItemKey, CatalogItemDefinition>;

/** Where the definitions live in a checkout or an installed package. */
export function defaultCatalogDir(): string {
  return join(projectRoot(), 'catalog-items');
}

function pathOf(file: string, path: readonly PropertyKey[]): string {
  return `${file}:${path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '')}`;
}

/** Validates already-parsed definition documents; returns the catalog or every problem. */
export function buildCatalog(documents: ReadonlyArray<{ file: string; data: unknown }>): Catalog {
  const problems: ErrorDetail[] = [];
  const catalog = new Map<CatalogItemKey, CatalogItemDefinition>();
  for (const { file, data } of documents) {
    const parsed = itemSchema.safeParse(data);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => ({ path: pathOf(file, i.path), message: i.message })));
      continue;
    }
    const item = parsed.data;
    if (catalog.has(item.key)) {
      problems.push({ path: `${file}:key`, message: `${item.key} is defined in more than one file` });
      continue;
    }
    for (const [name, type] of Object.entries(requiredVariables(item.key))) {
      const variable = item.variables.find((v) => v.name === name);
      if (!variable) {
        problems.push({
          path: `${file}:variables`,
          message: `the connector needs a variable "${name}" (${type})`,
        });
      } else if (variable.type !== type) {
        problems.push({
          path: `${file}:variables.${name}`,
          message: `must be ${type}, not ${variable.type}`,
        });
      }
    }
    catalog.set(item.key, item);
  }
  for (const key of CATALOG_ITEM_KEYS) {
    if (!catalog.has(key) && !problems.some((p) => p.message.includes(key))) {
      problems.push({ path: 'catalog-items', message: `no definition for ${key}` });
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return catalog;
}

/** Reads every `*.yaml` in the directory and validates the set. */
export function loadCatalog(dir: string = defaultCatalogDir()): Catalog {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
  } catch (error) {
    throw new ConfigError([
      {
        path: dir,
        message: `cannot read catalog definitions: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      },
    ]);
  }
  const documents: Array<{ file: string; data: unknown }> = [];
  const problems: ErrorDetail[] = [];
  for (const file of files) {
    try {
      documents.push({ file, data: YAML.parse(readFileSync(join(dir, file), 'utf8')) });
    } catch (error) {
      problems.push({ path: file, message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return buildCatalog(documents);
}
