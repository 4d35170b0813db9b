/**
 * Known-answer test for Standard Webhooks signatures, so the connector's verifier and signer and the
 * ServiceNow simulator's independent signer are all checked against a value none of them produced.
 *
 * Vector: standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts,
 * commit 7b4b8f6ae873424eb23562d6962ef548d1e1f78b, test "sign function works":
 *   key       whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
 *   msgId     msg_p5jXN8AQM9LWM0D4loKWxJek
 *   timestamp 1614265330 (new Date(1614265330 * 1000))
 *   payload   {"test": 2432232314}
 *   expected  v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
 * Scheme: spec/standard-webhooks.md in the same repository (commit
 * 5569aeae6fa0035bb01eb0167ab74bcaaeabedc1).
 */
import { computeSignature, signWebhook, verifyWebhook } from '../../src/intake/standard-webhooks';
import { signatureV1, signedWebhookHeaders } from '../../src/simulators/servicenow/sign-webhook';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const PAYLOAD = '{"test": 2432232314}';
const EXPECTED = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

/** The receiver's clock at the vector's timestamp, so the 5-minute tolerance is not what decides. */
const NOW_MS = TIMESTAMP * 1000;
const TOLERANCE_SECONDS = 300;

/** Another valid secret of the same length: only the key differs. */
const WRONG_SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

function verify(body: Buffer, secrets: readonly string[], signature: string = EXPECTED) {
  return verifyWebhook(
    { id: MSG_ID, timestamp: String(TIMESTAMP), signature, body },
    secrets,
    TOLERANCE_SECONDS,
    NOW_MS,
  );
}

describe('Standard Webhooks published test vector', () => {
  describe('connector verifier (src/intake/standard-webhooks verifyWebhook)', () => {
    it('when given the published signature at its timestamp, then it accepts it', () => {
      expect(verify(Buffer.from(PAYLOAD, 'utf8'), [SECRET])).toEqual({
        ok: true,
        id: MSG_ID,
        timestamp: TIMESTAMP,
      });
    });

    it('when one byte of the body is flipped, then it rejects the signature', () => {
      const tampered = Buffer.from(PAYLOAD, 'utf8');
      const last = tampered.length - 2; // a digit of 2432232314, so the JSON stays well formed
      tampered[last] = tampered[last]! ^ 0x01;
      expect(tampered.toString('utf8')).not.toBe(PAYLOAD);
      expect(verify(tampered, [SECRET])).toEqual({ ok: false, reason: 'invalid_signature' });
    });

    it('when it holds only a wrong secret, then it rejects the signature', () => {
      expect(verify(Buffer.from(PAYLOAD, 'utf8'), [WRONG_SECRET])).toEqual({
        ok: false,
        reason: 'invalid_signature',
      });
    });
  });

  describe('connector signer (src/intake/standard-webhooks)', () => {
    it('when signing the vector, then it produces exactly the published signature', () => {
      expect(`v1,${computeSignature(SECRET, MSG_ID, String(TIMESTAMP), PAYLOAD)}`).toBe(EXPECTED);
      expect(signWebhook(SECRET, MSG_ID, PAYLOAD, TIMESTAMP)).toEqual({
        'webhook-id': MSG_ID,
        'webhook-timestamp': String(TIMESTAMP),
        'webhook-signature': EXPECTED,
      });
    });
  });

  describe('ServiceNow simulator signer (src/simulators/servicenow/sign-webhook)', () => {
    it('when signing the vector, then it produces exactly the published signature', () => {
      expect(signatureV1(SECRET, MSG_ID, TIMESTAMP, PAYLOAD)).toBe(EXPECTED);
      expect(signatureV1(SECRET, MSG_ID, TIMESTAMP, Buffer.from(PAYLOAD, 'utf8'))).toBe(EXPECTED);
      expect(signedWebhookHeaders([SECRET], MSG_ID, PAYLOAD, TIMESTAMP)).toEqual({
        'webhook-id': MSG_ID,
        'webhook-timestamp': String(TIMESTAMP),
        'webhook-signature': EXPECTED,
      });
    });

    it('when signing with two secrets (rotation), then the published signature is one of the list', () => {
      const header = signedWebhookHeaders([WRONG_SECRET, SECRET], MSG_ID, PAYLOAD, TIMESTAMP)[
        'webhook-signature'
      ];
      const parts = header.split(' ');
      expect(parts).toHaveLength(2);
      expect(parts[1]).toBe(EXPECTED);
      expect(parts[0]).not.toBe(EXPECTED);
    });
  });
});
