import { VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens', () => {
  it('answers a remembered token until it expires, then forgets it', () => {
    let now = 1_000;
    const tokens = new VerifiedTokens<{ sub: string; exp: number }>(10, () => now);
    tokens.set('a.b.c', { sub: 'u1', exp: 1_060 });
    expect(tokens.get('a.b.c')).toEqual({ sub: 'u1', exp: 1_060 });
    expect(tokens.get('a.b.x')).toBeUndefined();
    now = 1_060;
    expect(tokens.get('a.b.c')).toBeUndefined();
    now = 1_000;
    expect(tokens.get('a.b.c')).toBeUndefined(); // forgotten, not just hidden
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const tokens = new VerifiedTokens<{ exp: number }>(2, () => 0);
    tokens.set('t1', { exp: 10 });
    tokens.set('t2', { exp: 10 });
    tokens.set('t3', { exp: 10 });
    expect(tokens.get('t1')).toBeUndefined();
    expect(tokens.get('t2')).toBeDefined();
    expect(tokens.get('t3')).toBeDefined();
  });
});
