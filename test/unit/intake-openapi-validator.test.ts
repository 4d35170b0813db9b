/**
 * The hand-rolled schema checker in test/helpers/openapi.ts validates every HTTP answer in the
 * intake tests, so it is tested itself: each keyword must reject what it should, and the whole
 * connector spec (and the ledger's schema file) must use no keyword it does not check.
 */
import {
  loadConnectorOpenApi,
  loadLedgerSchemas,
  SchemaValidator,
  UnsupportedSchemaError,
} from '../helpers/openapi';

const doc = {
  components: {
    schemas: {
      Thing: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind'],
        properties: {
          id: { type: 'string', pattern: '^t-\\d+$', maxLength: 8 },
          kind: { type: 'string', enum: ['a', 'b'] },
          count: { type: 'integer', minimum: 0, maximum: 10 },
          tags: { type: 'array', items: { type: 'string', minLength: 1 } },
          extra: { type: 'object', additionalProperties: { type: 'boolean' } },
          either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          maybe: { type: 'string', nullable: true },
        },
      },
    },
  },
};
const validator = new SchemaValidator(doc);
const thing = { $ref: '#/components/schemas/Thing' };

describe('SchemaValidator', () => {
  it('when a value matches every keyword, then there are no errors', () => {
    expect(
      validator.validate(thing, {
        id: 't-1',
        kind: 'a',
        count: 3,
        tags: ['x'],
        extra: { on: true },
        either: 2.5,
        maybe: null,
      }),
    ).toEqual([]);
  });

  it.each([
    ['a missing required property', { kind: 'a' }, '$.id: is required'],
    ['an unknown property', { id: 't-1', kind: 'a', other: 1 }, '$.other: is not allowed'],
    ['a wrong type', { id: 1, kind: 'a' }, '$.id: expected string, got integer'],
    ['a value outside the enum', { id: 't-1', kind: 'c' }, '$.kind: "c" is not one of ["a","b"]'],
    ['a pattern mismatch', { id: 'x-1', kind: 'a' }, '$.id: does not match ^t-\\d+$'],
    ['a string too long', { id: 't-123456789', kind: 'a' }, '$.id: longer than 8'],
    ['a number above the maximum', { id: 't-1', kind: 'a', count: 11 }, '$.count: above 10'],
    [
      'a non-integer for an integer',
      { id: 't-1', kind: 'a', count: 1.5 },
      '$.count: expected integer, got number',
    ],
    ['a bad array item', { id: 't-1', kind: 'a', tags: ['ok', ''] }, '$.tags[1]: shorter than 1'],
    [
      'a bad additional property',
      { id: 't-1', kind: 'a', extra: { on: 'yes' } },
      '$.extra.on: expected boolean, got string',
    ],
    [
      'no oneOf option matching',
      { id: 't-1', kind: 'a', either: true },
      '$.either: matches 0 of the oneOf options, expected exactly 1',
    ],
    ['null where not nullable', { id: null, kind: 'a' }, '$.id: must not be null'],
  ])('when a value has %s, then the error names it', (_label, value, error) => {
    expect(validator.validate(thing, value)).toContain(error);
  });

  it('when a schema uses a keyword the checker does not implement, then it throws instead of passing', () => {
    expect(() => validator.validate({ type: 'object', allOf: [] }, {})).toThrow(UnsupportedSchemaError);
    expect(() => validator.validate({ type: 'string', format: 'uuid', 'x-note': 1 }, 'x')).not.toThrow();
    expect(() => validator.validate({ $ref: 'other.yaml#/X' }, {})).toThrow(UnsupportedSchemaError);
  });

  it('when the connector spec is walked, then every schema it holds is within the checked subset', () => {
    const openapi = loadConnectorOpenApi();
    const schemas = (openapi.document.components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    for (const schema of Object.values(schemas)) {
      expect(() => openapi.validator.assertSupported(schema)).not.toThrow();
    }
    const paths = openapi.document.paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    let checked = 0;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const status of Object.keys(operation.responses)) {
          const errors = openapi.responseErrors(path, method, Number(status), {});
          // An empty object fails most response schemas; what matters is that none throws.
          expect(Array.isArray(errors)).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('when the ledger schema file is walked, then every schema is within the checked subset', () => {
    const ledger = loadLedgerSchemas();
    const schemas = (ledger.document.components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['LedgerEntry', 'RequestPage']));
    for (const schema of Object.values(schemas)) {
      expect(() => ledger.validator.assertSupported(schema)).not.toThrow();
    }
  });

  it('when the ledger schema file copies a connector enum, then the copy equals the original', () => {
    // The ledger file is self-contained ($refs are local only), so it repeats these two.
    const ledger = loadLedgerSchemas();
    const connector = loadConnectorOpenApi();
    for (const name of ['CatalogItemKey', 'RequestState']) {
      expect(ledger.schema(name)).toEqual(connector.schema(name));
    }
  });

  it('when a response is not documented, then that is an error too', () => {
    const openapi = loadConnectorOpenApi();
    expect(openapi.responseErrors('/webhooks/servicenow', 'post', 418, {})).toEqual([
      'post /webhooks/servicenow does not document status 418',
    ]);
    expect(openapi.responseErrors('/nowhere', 'get', 200, {})).toEqual(['get /nowhere is not in the spec']);
  });
});
