/** API tokens → actors: hashed, constant-time comparison over every configured token. */
import { createTokenVerifier } from '../../src/http/auth/tokens';
import { mayAct } from '../../src/ops/actor';

const verifier = createTokenVerifier([
  { name: 'desk', role: 'agent', token: 'agent-token-0123456789abcdef0123' },
  { name: 'oncall', role: 'ops', token: 'ops-token-0123456789abcdef012345678' },
]);

describe('token verifier', () => {
  it('when a configured token is presented, then its name and role come back', () => {
    expect(verifier.verify('agent-token-0123456789abcdef0123')).toEqual({ name: 'desk', role: 'agent' });
    expect(verifier.verify('ops-token-0123456789abcdef012345678')).toEqual({ name: 'oncall', role: 'ops' });
  });

  it.each([
    ['an unknown token', 'agent-token-0123456789abcdef0124'],
    ['a prefix of a token', 'agent-token-0123456789'],
    ['a token with extra characters', 'agent-token-0123456789abcdef0123 '],
    ['an empty string', ''],
    ['a very long string', 'x'.repeat(10_000)],
  ])('when %s is presented, then nobody is recognised', (_label, presented) => {
    expect(verifier.verify(presented)).toBeUndefined();
  });

  it('when a name is looked up, then the configured actor is found; only ops may act', () => {
    expect(verifier.byName('oncall')).toEqual({ name: 'oncall', role: 'ops' });
    expect(verifier.byName('ghost')).toBeUndefined();
    expect(mayAct({ name: 'oncall', role: 'ops' })).toBe(true);
    expect(mayAct({ name: 'desk', role: 'agent' })).toBe(false);
  });
});
