import { loadCatalog } from '../../src/catalog/definitions';
import { createVariableParser } from '../../src/catalog/variables';
import { checkWebhookBody, decodeJson, isJsonContentType } from '../../src/intake/webhook-body';
import { validBody, VALID_VARIABLES, type Item } from '../helpers/webhook';

const variables = createVariableParser(loadCatalog());

function failure(value: unknown) {
  const result = checkWebhookBody(value, variables);
  if (result.ok) {
    throw new Error('expected the body to be refused');
  }
  return result;
}

describe('checkWebhookBody', () => {
  it.each(Object.keys(VALID_VARIABLES) as Item[])(
    'when a %s body is complete and valid, then it passes',
    (item) => {
      for (const event of ['ritm.submitted', 'ritm.updated', 'ritm.cancelled']) {
        const body = validBody({ cat_item: item, event });
        const result = checkWebhookBody(body, variables);
        expect(result).toEqual({ ok: true, body });
      }
    },
  );

  it('when the body has an unknown field, then 422 names that field', () => {
    const result = failure({ ...validBody(), callback_url: 'http://169.254.169.254/', tenant: 'other' });
    expect(result.status).toBe(422);
    expect(result.code).toBe('invalid_body');
    expect(result.details).toEqual([
      { path: 'callback_url', message: 'is not a known field' },
      { path: 'tenant', message: 'is not a known field' },
    ]);
  });

  it('when a variable is invalid, then 422 names variables.instance_id with the catalog message', () => {
    const body = validBody();
    body.variables.instance_id = 'not-a-uuid';
    const result = failure(body);
    expect(result).toMatchObject({ status: 422, code: 'invalid_variables' });
    expect(result.details).toEqual([
      { path: 'variables.instance_id', message: expect.stringContaining('instance UUID') as unknown },
    ]);
  });

  it('when the variables hold an unknown one or a non-string, then each is named', () => {
    const body = {
      ...validBody(),
      variables: { ...VALID_VARIABLES.storware_backup_now, colour: 'blue', priority: 7 },
    };
    const paths = failure(body).details.map((d) => d.path);
    expect(paths).toContain('variables.priority');
    const strings = { ...validBody(), variables: { ...VALID_VARIABLES.storware_backup_now, colour: 'blue' } };
    expect(failure(strings).details.map((d) => d.path)).toEqual(['variables.colour']);
  });

  it('when the item is unknown, then 422 unknown_catalog_item names cat_item', () => {
    const result = failure(validBody({ cat_item: 'storware_delete_everything' }));
    expect(result).toMatchObject({ status: 422, code: 'unknown_catalog_item' });
    expect(result.details.map((d) => d.path)).toEqual(['cat_item']);
  });

  it('when several fields are wrong, then every one is reported with its path', () => {
    const body = validBody({
      sys_id: 'ABC',
      number: 'INC001',
      sys_updated_on: '2026-02-30 10:00:00',
      event: 'ritm.deleted',
    });
    body.variables.backup_type = 'SNAPSHOT';
    const paths = failure(body).details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['event', 'sys_id', 'number', 'sys_updated_on', 'variables.backup_type']),
    );
  });

  it('when a required field is absent or the body is not an object, then 422 says so', () => {
    const { variables: _dropped, ...rest } = validBody();
    expect(failure(rest).details).toEqual([{ path: 'variables', message: expect.any(String) as unknown }]);
    for (const value of [null, [], 'text', 42]) {
      expect(failure(value)).toMatchObject({ status: 422, details: [{ path: '(root)' }] });
    }
  });

  it('when a cancellation carries variables that no longer validate, then it still passes', () => {
    const body = validBody({ event: 'ritm.cancelled' });
    body.variables.instance_id = 'gone';
    expect(checkWebhookBody(body, variables).ok).toBe(true);
  });
});

describe('isJsonContentType', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/json; charset="utf-8"',
  ])('when the content type is %s, then it is accepted', (value) => {
    expect(isJsonContentType(value)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'application/json-patch+json',
    'application/json; boundary=x',
  ])('when the content type is %s, then it is refused', (value) => {
    expect(isJsonContentType(value)).toBe(false);
  });
});

describe('decodeJson', () => {
  it('when the bytes are JSON, then the value comes back; when not JSON or not UTF-8, then a reason', () => {
    expect(decodeJson(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeJson(Buffer.from('{"a":'))).toEqual({ ok: false, message: 'Body is not valid JSON' });
    expect(decodeJson(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      ok: false,
      message: 'Body is not valid UTF-8',
    });
    expect(decodeJson(Buffer.alloc(0))).toEqual({ ok: false, message: 'Body is not valid JSON' });
  });
});
