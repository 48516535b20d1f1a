import type { MeResponse, TokenResponse, UserResponse } from '@samverka/contracts';
import { createHmac } from 'node:crypto';
import type { ApiResponse } from '@samverka/testing';
import { DemoIds } from '../support/demo.js';
import { TEST_SECRET } from '../support/environment.js';
import { expectProblem } from '../support/expect.js';
import { PASSWORD } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

/** A token signed with the app's secret but already expired. */
function expiredToken(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    ...claims,
    iat: now - 3600,
    exp: now - 60,
    iss: 'samverka',
    aud: 'samverka-api',
  })}`;
  return `${body}.${createHmac('sha256', TEST_SECRET).update(body).digest('base64url')}`;
}

/** Not the password of any account. */
const WRONG_PASSWORD = 'wrong-password';
describe('sign-in, tokens and sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ LOCKOUT_THRESHOLD: '3', LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '6' });
  });
  afterAll(() => app.close());

  it('signs in with email and password and answers /me with user, roles, unit, agency, areas and municipality', async () => {
    const login = await app.api.post<TokenResponse>('/api/v1/auth/login', {
      email: 'Polis@Demo.test',
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    const me = await app.api.withToken(login.body.accessToken).get<MeResponse>('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: 'polis@demo.test', displayName: 'Per Polis' },
      roles: ['police_liaison'],
      agency: 'police',
      unit: { name: 'Polisen Norra', agency: 'police' },
      areas: [{ name: 'Norra' }],
      municipality: { name: 'Demo kommun' },
    });
  });

  it('refuses a wrong password and an unknown account with the same 401', async () => {
    const wrong = expectProblem(
      await app.api.post('/api/v1/auth/login', {
        email: 'fritid@demo.test',
        password: 'not-the-password',
      }),
      401,
    );
    const unknown = expectProblem(
      await app.api.post('/api/v1/auth/login', {
        email: 'nobody@demo.test',
        password: 'not-the-password',
      }),
      401,
    );
    expect(wrong.detail).toBe(unknown.detail);
    expect(wrong.type).toBe(unknown.type);
  });

  it('rotates refresh tokens, and reuse of a rotated token revokes the whole session', async () => {
    const first = await app.api.login('skola@demo.test', PASSWORD);
    const second = await app.api.post<TokenResponse>('/api/v1/auth/refresh', {
      refreshToken: first.refreshToken,
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const third = await app.api.post<TokenResponse>('/api/v1/auth/refresh', {
      refreshToken: second.body.refreshToken,
    });
    expect(third.status).toBe(200);
    expect((await app.api.withToken(third.body.accessToken).get('/api/v1/me')).status).toBe(200);

    // The first token was rotated away: presenting it again means it leaked.
    const reuse = expectProblem(
      await app.api.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken }),
      401,
    );
    expect(reuse.detail).toMatch(/already used/);
    // Every token of the family is now dead, access tokens included.
    expectProblem(
      await app.api.post('/api/v1/auth/refresh', { refreshToken: third.body.refreshToken }),
      401,
    );
    expectProblem(await app.api.withToken(third.body.accessToken).get('/api/v1/me'), 401);
    // Another session of the same user is untouched.
    const other = await app.api.login('skola@demo.test', PASSWORD);
    expect((await app.api.withToken(other.accessToken).get('/api/v1/me')).status).toBe(200);
  });

  it('logout revokes the refresh token and ends the access token at once', async () => {
    const tokens = await app.api.login('bup@demo.test', PASSWORD);
    const client = app.api.withToken(tokens.accessToken);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect(
      (await app.api.post('/api/v1/auth/logout', { refreshToken: tokens.refreshToken })).status,
    ).toBe(204);
    expectProblem(await client.get('/api/v1/me'), 401);
    expectProblem(
      await app.api.post('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken }),
      401,
    );
  });

  it('refuses a missing, malformed, forged or expired access token', async () => {
    const tokens = await app.api.login('sig@demo.test', PASSWORD);
    const [header, payload] = tokens.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as {
      sub: string;
      sid: string;
      mun: string;
    };
    expectProblem(await app.api.get('/api/v1/me'), 401);
    expectProblem(await app.api.withToken('not-a-jwt').get('/api/v1/me'), 401);
    // The scheme's name is case-insensitive (found by a black-box probe).
    const lower = await fetch(`${app.api.baseUrl}/api/v1/me`, {
      headers: { authorization: `bearer ${tokens.accessToken}` },
    });
    expect(lower.status).toBe(200);
    expectProblem(
      await app.api.withToken(`${header}.${payload}.forged-signature`).get('/api/v1/me'),
      401,
    );
    const expired = expectProblem(
      await app.api
        .withToken(expiredToken({ sub: claims.sub, sid: claims.sid, mun: claims.mun }))
        .get('/api/v1/me'),
      401,
    );
    expect(expired.detail).toMatch(/expired/);
  });

  it('answers an address with no account exactly as one with an account, lockout included', async () => {
    const attempt = (email: string) =>
      app.api.post('/api/v1/auth/login', { email, password: WRONG_PASSWORD });
    const answers = async (email: string) => {
      const seen: [number, string | undefined][] = [];
      for (let i = 0; i < 4; i++) {
        const response = await attempt(email);
        seen.push([response.status, (response.body as { type?: string }).type]);
      }
      return seen;
    };
    const known = await answers('socialsekreterare@demo.test');
    const unknown = await answers('ingen-alls@demo.test');
    expect(unknown).toEqual(known);
    expect(known.map(([status]) => status)).toEqual([401, 401, 401, 429]);
    const admin = await app.as('admin@demo.test');
    const users = await admin.get<{ items: { id: string; email: string }[] }>(
      '/api/v1/users?limit=200',
    );
    const social = users.body.items.find((user) => user.email === 'socialsekreterare@demo.test')!;
    expect((await admin.post(`/api/v1/users/${social.id}/unlock`)).status).toBe(200);
  });

  it('locks an account after repeated failures (even the right password is refused) until an admin unlocks it', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      expectProblem(
        await app.api.post('/api/v1/auth/login', {
          email: 'sig@demo.test',
          password: WRONG_PASSWORD,
        }),
        401,
      );
    }
    const locked = await app.api.post('/api/v1/auth/login', {
      email: 'sig@demo.test',
      password: PASSWORD,
    });
    const problem = expectProblem(locked, 429);
    expect(problem.detail).toMatch(/locked/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);

    const admin = await app.as('admin@demo.test');
    const me = await (await app.as('samordnare@demo.test')).get<MeResponse>('/api/v1/me');
    expect(me.status).toBe(200);
    const users = await admin.get<{
      items: { id: string; email: string; lockedUntil: string | null }[];
    }>('/api/v1/users?limit=200');
    const sig = users.body.items.find((user) => user.email === 'sig@demo.test')!;
    expect(sig.lockedUntil).not.toBeNull();
    expect((await admin.post(`/api/v1/users/${sig.id}/unlock`)).status).toBe(200);
    expect(
      (await app.api.post('/api/v1/auth/login', { email: 'sig@demo.test', password: PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('counts failures sent at once one by one: no more passwords are tried than the lockout allows (found by a black-box probe)', async () => {
    const email = 'fritid@demo.test';
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        app.api.post('/api/v1/auth/login', { email, password: WRONG_PASSWORD }),
      ),
    );
    // At most as many passwords checked (401) as the lockout allows (3), however many come at once.
    const statuses = answers.map((answer) => answer.status);
    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(6 - checked);
    expectProblem(await app.api.post('/api/v1/auth/login', { email, password: PASSWORD }), 429);
    const admin = await app.as('admin@demo.test');
    const users = await admin.get<{ items: { id: string; email: string }[] }>(
      '/api/v1/users?limit=200',
    );
    const user = users.body.items.find((item) => item.email === email)!;
    expect((await admin.post(`/api/v1/users/${user.id}/unlock`)).status).toBe(200);
  });

  it('lets the user sign in at once after an administrator unlocks the account, however many attempts it had', async () => {
    const admin = await app.as('admin@demo.test');
    const ids = await DemoIds.load(admin);
    const email = 'las.upp@demo.test';
    const id = await addStaff(admin, {
      email,
      displayName: 'Lås Upp',
      roles: ['school_staff'],
      unitId: ids.unit('Skolan Norra'),
    });
    const attempts: number[] = [];
    let last: ApiResponse | undefined;
    for (let attempt = 0; attempt < 7; attempt++) {
      last = await app.api.post('/api/v1/auth/login', { email, password: WRONG_PASSWORD });
      attempts.push(last.status);
    }
    // Locked after three failures, and past six attempts the account's rate limit as well.
    expect(attempts).toEqual([401, 401, 401, 429, 429, 429, 429]);
    expect(expectProblem(last!, 429).detail).toMatch(/Too many sign-in attempts for this account/);

    const unlocked = await admin.post<UserResponse>(`/api/v1/users/${id}/unlock`);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    const login = await app.api.post<TokenResponse>('/api/v1/auth/login', {
      email,
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    const me = await app.api.withToken(login.body.accessToken).get<MeResponse>('/api/v1/me');
    expect(me.body.user.email).toBe(email);
  });

  it('rate-limits sign-in per account with a clear 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last: ApiResponse | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      last = await app.api.post('/api/v1/auth/login', {
        email: 'nobody-at-all@demo.test',
        password: 'whatever-it-is',
      });
      statuses.push(last.status);
    }
    // Locked after three failures as a real account would be, then rate-limited past six.
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    expect(expectProblem(last!, 429).detail).toMatch(/Too many sign-in attempts for this account/);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('sign-in rate limit per address', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '4' });
  });
  afterAll(() => app.close());

  it('answers 429 once one address has made too many attempts, whatever the account', async () => {
    const emails = ['a@demo.test', 'b@demo.test', 'c@demo.test', 'd@demo.test', 'e@demo.test'];
    const statuses = [];
    for (const email of emails) {
      statuses.push((await app.api.post('/api/v1/auth/login', { email, password: 'x' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // Even the right password for a real account waits out the window.
    const blocked = await app.api.post('/api/v1/auth/login', {
      email: 'polis@demo.test',
      password: PASSWORD,
    });
    expect(expectProblem(blocked, 429).detail).toMatch(/from this address/);
    // A header anyone can send does not make another address of it (no proxy is configured).
    for (const forwarded of ['10.77.1.2', '10.9.0.1, 10.9.0.2']) {
      const spoofed = await app.api.request(
        'POST',
        '/api/v1/auth/login',
        { email: 'polis@demo.test', password: PASSWORD },
        { 'x-forwarded-for': forwarded },
      );
      expectProblem(spoofed, 429);
    }
  });
});
