/**
 * Checks HTTP answers against spec/connector.openapi.yaml, and the ledger's stored shapes against
 * spec/ledger.schemas.yaml, with a small JSON Schema subset validator (no ajv in the dependencies). The subset is what the spec uses: type, nullable, enum,
 * required, properties, additionalProperties (boolean or schema), items, oneOf, pattern,
 * minLength/maxLength, minimum/maximum and $ref to components. Any other keyword makes the
 * validator throw instead of silently passing, so the spec cannot outgrow its checker unnoticed
 * (test/unit/intake-openapi-validator.test.ts walks every schema in the spec to prove it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

type Schema = Record<string, unknown>;

const VALIDATED = new Set([
  'type',
  'nullable',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'oneOf',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  '$ref',
]);
/** Keywords that describe but do not constrain. */
const ANNOTATIONS = new Set([
  'description',
  'example',
  'default',
  'title',
  'deprecated',
  'readOnly',
  'format',
]);

export class UnsupportedSchemaError extends Error {}

function typeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function matchesType(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

export class SchemaValidator {
  constructor(private readonly document: Schema) {}

  resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) {
      throw new UnsupportedSchemaError(`only local $ref is supported: ${ref}`);
    }
    let node: unknown = this.document;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (typeof node !== 'object' || node === null) {
      throw new UnsupportedSchemaError(`unresolvable $ref ${ref}`);
    }
    return node as Schema;
  }

  /** Throws UnsupportedSchemaError when a schema (or one it reaches) uses a keyword not checked here. */
  assertSupported(schema: Schema, seen = new Set<Schema>()): void {
    if (seen.has(schema)) {
      return;
    }
    seen.add(schema);
    for (const key of Object.keys(schema)) {
      if (!VALIDATED.has(key) && !ANNOTATIONS.has(key) && !key.startsWith('x-')) {
        throw new UnsupportedSchemaError(`unsupported schema keyword "${key}"`);
      }
    }
    if (typeof schema.$ref === 'string') {
      this.assertSupported(this.resolve(schema.$ref), seen);
    }
    for (const child of Object.values((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      this.assertSupported(child, seen);
    }
    if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
      this.assertSupported(schema.additionalProperties as Schema, seen);
    }
    if (typeof schema.items === 'object' && schema.items !== null) {
      this.assertSupported(schema.items as Schema, seen);
    }
    for (const option of (schema.oneOf as Schema[] | undefined) ?? []) {
      this.assertSupported(option, seen);
    }
  }

  /** Every violation, each with a JSON-pointer-like path; empty when the value is valid. */
  validate(schema: Schema, value: unknown, path = '$'): string[] {
    this.assertSupported(schema);
    if (typeof schema.$ref === 'string') {
      return this.validate(this.resolve(schema.$ref), value, path);
    }
    if (value === null) {
      return schema.nullable === true || schema.type === undefined ? [] : [`${path}: must not be null`];
    }
    const errors: string[] = [];
    if (typeof schema.type === 'string' && !matchesType(schema.type, value)) {
      return [`${path}: expected ${schema.type}, got ${typeOf(value)}`];
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) {
      errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
        errors.push(`${path}: does not match ${schema.pattern}`);
      }
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
        errors.push(`${path}: shorter than ${schema.minLength}`);
      }
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
        errors.push(`${path}: longer than ${schema.maxLength}`);
      }
    }
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum) {
        errors.push(`${path}: below ${schema.minimum}`);
      }
      if (typeof schema.maximum === 'number' && value > schema.maximum) {
        errors.push(`${path}: above ${schema.maximum}`);
      }
    }
    if (Array.isArray(value) && typeof schema.items === 'object' && schema.items !== null) {
      value.forEach((item, i) =>
        errors.push(...this.validate(schema.items as Schema, item, `${path}[${i}]`)),
      );
    }
    if (typeOf(value) === 'object') {
      const object = value as Record<string, unknown>;
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const name of (schema.required as string[] | undefined) ?? []) {
        if (!(name in object)) {
          errors.push(`${path}.${name}: is required`);
        }
      }
      for (const [name, child] of Object.entries(object)) {
        const declared = properties[name];
        if (declared) {
          errors.push(...this.validate(declared, child, `${path}.${name}`));
        } else if (schema.additionalProperties === false) {
          errors.push(`${path}.${name}: is not allowed`);
        } else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
          errors.push(...this.validate(schema.additionalProperties as Schema, child, `${path}.${name}`));
        }
      }
    }
    if (Array.isArray(schema.oneOf)) {
      const passing = (schema.oneOf as Schema[]).filter(
        (option) => this.validate(option, value, path).length === 0,
      );
      if (passing.length !== 1) {
        errors.push(`${path}: matches ${passing.length} of the oneOf options, expected exactly 1`);
      }
    }
    return errors;
  }
}

/** A document's schemas by name (`#/components/schemas/<name>`). */
export interface SchemaDocument {
  readonly document: Schema;
  readonly validator: SchemaValidator;
  schema(name: string): Schema;
}

export interface OpenApi extends SchemaDocument {
  /** Violations of the documented response for this operation and status (JSON bodies). */
  responseErrors(path: string, method: string, status: number, body: unknown): string[];
}

function loadSchemaDocument(file: string): SchemaDocument {
  const document = YAML.parse(readFileSync(file, 'utf8')) as Schema;
  const validator = new SchemaValidator(document);
  return { document, validator, schema: (name) => validator.resolve(`#/components/schemas/${name}`) };
}

/**
 * The request ledger's stored shapes (`LedgerEntry`, `RequestPage`, …): a document with components
 * only, apart from the connector's HTTP API.
 */
export function loadLedgerSchemas(
  file = join(__dirname, '..', '..', 'spec', 'ledger.schemas.yaml'),
): SchemaDocument {
  return loadSchemaDocument(file);
}

export function loadConnectorOpenApi(
  file = join(__dirname, '..', '..', 'spec', 'connector.openapi.yaml'),
): OpenApi {
  const { document, validator, schema } = loadSchemaDocument(file);
  return {
    document,
    validator,
    schema,
    responseErrors(path, method, status, body) {
      const operation = (document.paths as Record<string, Record<string, Schema>>)[path]?.[
        method.toLowerCase()
      ];
      if (!operation) {
        return [`${method} ${path} is not in the spec`];
      }
      let response = (operation.responses as Record<string, Schema>)[String(status)];
      if (!response) {
        return [`${method} ${path} does not document status ${status}`];
      }
      if (typeof response.$ref === 'string') {
        response = validator.resolve(response.$ref);
      }
      const schema = (response.content as Record<string, { schema: Schema }> | undefined)?.[
        'application/json'
      ]?.schema;
      if (!schema) {
        return [`${method} ${path} ${status} has no application/json schema`];
      }
      return validator.validate(schema, body);
    },
  };
}
