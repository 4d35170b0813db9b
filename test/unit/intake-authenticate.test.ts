import { authenticateDelivery } from '../../src/intake/authenticate';
import { signWebhook } from '../../src/intake/standard-webhooks';
import { randomSecret } from '../helpers/webhook';

const NOW_MS = 1_767_225_600_000;
const NOW_S = NOW_MS / 1000;
const OLD = randomSecret();
const NEW = randomSecret();
const BODY = Buffer.from('{"event":"ritm.submitted"}');

function config(secrets: string[], basicAuth?: { user: string; password: string }) {
  return { secrets, toleranceSeconds: 300, basicAuth };
}

function signed(secrets: string | string[], timestamp = NOW_S, body: Buffer = BODY, id = 'msg_1') {
  return { ...signWebhook(secrets, id, body, timestamp) } as Record<string, string>;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('authenticateDelivery', () => {
  it('when the signature is made with the configured secret, then the delivery is authentic and keeps its id', () => {
    expect(authenticateDelivery(signed(OLD), BODY, config([OLD]), NOW_MS)).toEqual({
      ok: true,
      method: 'signature',
      webhookId: 'msg_1',
    });
  });

  it('when the signature is made with another secret, then it is refused as invalid_signature', () => {
    expect(authenticateDelivery(signed(NEW), BODY, config([OLD]), NOW_MS)).toMatchObject({
      ok: false,
      code: 'invalid_signature',
    });
  });

  it('when secrets rotate, then old and new are both accepted, alone or side by side, and a retired one is not', () => {
    const rotating = config([OLD, NEW]);
    expect(authenticateDelivery(signed(OLD), BODY, rotating, NOW_MS).ok).toBe(true);
    expect(authenticateDelivery(signed(NEW), BODY, rotating, NOW_MS).ok).toBe(true);
    expect(authenticateDelivery(signed([OLD, NEW]), BODY, rotating, NOW_MS).ok).toBe(true);
    expect(authenticateDelivery(signed([randomSecret(), NEW]), BODY, config([NEW]), NOW_MS).ok).toBe(true);
    expect(authenticateDelivery(signed(OLD), BODY, config([NEW]), NOW_MS)).toMatchObject({
      ok: false,
      code: 'invalid_signature',
    });
  });

  it.each([
    ['exactly 5 minutes old', NOW_S - 300, true],
    ['5 minutes and 1 second old', NOW_S - 301, false],
    ['exactly 5 minutes ahead', NOW_S + 300, true],
    ['5 minutes and 1 second ahead', NOW_S + 301, false],
    ['a day old', NOW_S - 86_400, false],
  ])('when the timestamp is %s, then ok is %s', (_label, timestamp, ok) => {
    const result = authenticateDelivery(signed(OLD, timestamp), BODY, config([OLD]), NOW_MS);
    expect(result.ok).toBe(ok);
    if (!result.ok) {
      expect(result.code).toBe('timestamp_out_of_tolerance');
    }
  });

  it('when one byte of the body changes after signing, then the signature no longer matches', () => {
    const tampered = Buffer.from(BODY);
    tampered[3] = tampered[3]! ^ 1;
    expect(authenticateDelivery(signed(OLD), tampered, config([OLD]), NOW_MS)).toMatchObject({
      ok: false,
      code: 'invalid_signature',
    });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'when %s is missing, then the delivery is refused as missing_signature',
    (header) => {
      const headers = signed(OLD);
      delete headers[header];
      expect(authenticateDelivery(headers, BODY, config([OLD]), NOW_MS)).toMatchObject({
        ok: false,
        code: 'missing_signature',
      });
    },
  );

  it('when a header is repeated or the timestamp is not a number, then nothing is guessed', () => {
    const repeated = { ...signed(OLD), 'webhook-id': ['msg_1', 'msg_1'] };
    expect(authenticateDelivery(repeated, BODY, config([OLD]), NOW_MS)).toMatchObject({
      code: 'missing_signature',
    });
    const words = { ...signed(OLD), 'webhook-timestamp': 'yesterday' };
    expect(authenticateDelivery(words, BODY, config([OLD]), NOW_MS)).toMatchObject({
      code: 'invalid_timestamp',
    });
  });

  describe('Basic mode', () => {
    const creds = { user: 'servicenow', password: 'a-long-basic-password-123' };

    it('when Basic mode is on and the credentials match, then an unsigned delivery is authentic', () => {
      const headers = { authorization: basic(creds.user, creds.password), 'webhook-id': 'msg_9' };
      expect(authenticateDelivery(headers, BODY, config([OLD], creds), NOW_MS)).toEqual({
        ok: true,
        method: 'basic',
        webhookId: 'msg_9',
      });
    });

    it('when Basic credentials are wrong, missing or malformed, then the delivery is refused', () => {
      const on = config([OLD], creds);
      for (const authorization of [
        basic(creds.user, 'wrong'),
        basic('other', creds.password),
        'Bearer x',
        undefined,
      ]) {
        expect(authenticateDelivery({ authorization }, BODY, on, NOW_MS)).toMatchObject({
          ok: false,
          code: 'invalid_credentials',
        });
      }
    });

    it('when a delivery carries a bad signature, then correct Basic credentials do not rescue it', () => {
      const headers = { ...signed(NEW), authorization: basic(creds.user, creds.password) };
      expect(authenticateDelivery(headers, BODY, config([OLD], creds), NOW_MS)).toMatchObject({
        ok: false,
        code: 'invalid_signature',
      });
    });

    it('when Basic mode is off, then Basic credentials alone are not enough', () => {
      const headers = { authorization: basic(creds.user, creds.password) };
      expect(authenticateDelivery(headers, BODY, config([OLD]), NOW_MS)).toMatchObject({
        ok: false,
        code: 'missing_signature',
      });
    });
  });
});
