import type { PersonResponse } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('errors: clear problem details, and nothing changes', () => {
  let app: TestApp;
  let school: ApiClient;
  beforeAll(async () => {
    app = await startTestApp({ BODY_LIMIT: '2kb' });
    school = await app.as('skola@demo.test');
  });
  afterAll(() => app.close());

  async function peopleCount(): Promise<number> {
    const page = await school.get<{ items: PersonResponse[] }>('/api/v1/people?limit=200');
    return page.body.items.length;
  }

  it('rejects unknown fields with a 400 that names them', async () => {
    const before = await peopleCount();
    const problem = expectProblem(
      await school.post('/api/v1/people', {
        identityNumber: '20100101-0006',
        givenName: 'Ny',
        familyName: 'Person',
        isAdmin: true,
      }),
      400,
    );
    expect(reasonsFor(problem, 'isAdmin')).toEqual(['isAdmin is not a known field']);
    expect(await peopleCount()).toBe(before);
  });

  it.each([
    ['20100101-0009', /check digit/],
    ['20101301-0000', /month 13 does not exist/],
    ['20110229-0000', /has no day 29/],
    ['20100192-0000', /has no day 32|samordningsnummer/],
    ['123', /expected YYYYMMDD-NNNN/],
    ['20991231-0000', /in the future/],
    ['20100101+0006', /10-digit form only/],
  ])('rejects identity number %s with a reason', async (identityNumber, reason) => {
    const before = await peopleCount();
    const problem = expectProblem(
      await school.post('/api/v1/people', {
        identityNumber,
        givenName: 'Fel',
        familyName: 'Nummer',
      }),
      400,
    );
    expect(reasonsFor(problem, 'identityNumber').join(' ')).toMatch(reason);
    expect(await peopleCount()).toBe(before);
  });

  it('refuses __proto__ and constructor as the unknown fields they are', async () => {
    const before = await peopleCount();
    const body =
      '{"identityNumber":"20100101-0006","givenName":"Ny","familyName":"Person","__proto__":{"isAdmin":true},"guardians":[{"constructor":{}}]}';
    const problem = expectProblem(await school.request('POST', '/api/v1/people', body), 400);
    expect(reasonsFor(problem, '__proto__')).toEqual(['__proto__ is not a known field']);
    expect(reasonsFor(problem, 'guardians.0.constructor')).toEqual([
      'guardians.0.constructor is not a known field',
    ]);
    expect(await peopleCount()).toBe(before);
  });

  it('refuses text that holds half of a character rather than store it altered', async () => {
    const before = await peopleCount();
    const body =
      '{"identityNumber":"20100101-0006","givenName":"A\\ud800b","familyName":"Person","address":"\\udc00"}';
    const problem = expectProblem(await school.request('POST', '/api/v1/people', body), 400);
    expect(reasonsFor(problem, 'givenName')).toEqual([
      'givenName is not valid text (it holds half of a character)',
    ]);
    expect(reasonsFor(problem, 'address')).toHaveLength(1);
    expect(await peopleCount()).toBe(before);
    // A character outside the basic plane (its two halves together) is text like any other.
    const whole = await school.post('/api/v1/people', {
      identityNumber: '20100101-0006',
      givenName: 'Ny 😀',
      familyName: 'Person',
    });
    expect(whole.status).toBe(201);
  });

  it('lists every invalid field at once', async () => {
    const problem = expectProblem(
      await school.post('/api/v1/people', { identityNumber: 'x', givenName: '', gender: 'robot' }),
      400,
    );
    const fields = (problem.errors ?? []).map((error) => error.field).sort();
    expect(fields).toEqual(['familyName', 'gender', 'givenName', 'identityNumber']);
  });

  it('validates nested fields with their path', async () => {
    const problem = expectProblem(
      await school.post('/api/v1/people', {
        identityNumber: '20100101-0006',
        givenName: 'A',
        familyName: 'B',
        guardians: [{ personId: 'not-a-uuid', custody: 'yes' }],
      }),
      400,
    );
    expect(reasonsFor(problem, 'guardians.0.personId').length).toBeGreaterThan(0);
    expect(reasonsFor(problem, 'guardians.0.custody').length).toBeGreaterThan(0);
  });

  it.each([
    ['spaces', '   '],
    ['zero-width spaces', '\u200B\u200B'],
    ['a soft hyphen and a joiner between spaces', ' \u00AD\u2060 '],
  ])('refuses text of only %s, saying so', async (_, givenName) => {
    const before = await peopleCount();
    const problem = expectProblem(
      await school.post('/api/v1/people', {
        identityNumber: '20100101-0006',
        givenName,
        familyName: 'Person',
      }),
      400,
    );
    expect(reasonsFor(problem, 'givenName')).toEqual([
      'givenName must not be empty or only spaces',
    ]);
    expect(await peopleCount()).toBe(before);
  });

  it('answers malformed JSON with 400 and an oversized body with 413, with the request id', async () => {
    const malformed = await school.request('POST', '/api/v1/people', '{"givenName":', {
      'x-request-id': 'trace-json',
    });
    expect(expectProblem(malformed, 400)).toMatchObject({
      detail: expect.stringMatching(/not valid JSON/),
      requestId: 'trace-json',
    });
    expect(malformed.headers.get('x-request-id')).toBe('trace-json');
    const big = {
      identityNumber: '20100101-0006',
      givenName: 'A',
      familyName: 'B',
      address: 'x'.repeat(5000),
    };
    const tooLarge = expectProblem(await school.post('/api/v1/people', big), 413);
    expect(tooLarge.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed id with 400, an unknown one with 404 and an unknown route with 404', async () => {
    const malformed = expectProblem(await school.get('/api/v1/people/not-a-uuid'), 400);
    expect(malformed.errors).toEqual([{ field: 'id', reasons: ['id must be a UUID'] }]);
    expectProblem(await school.get('/api/v1/people/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await school.get('/api/v1/no-such-thing'), 404);
  });

  it('rejects a cursor that is not one of ours', async () => {
    const problem = expectProblem(await school.get('/api/v1/people?cursor=garbage'), 400);
    expect(reasonsFor(problem, 'cursor')[0]).toMatch(/cursor is not valid/);
    expectProblem(await school.get('/api/v1/people?limit=0'), 400);
    expectProblem(await school.get('/api/v1/people?limit=201'), 400);
  });

  it('carries the request id in the problem and the response header', async () => {
    const response = await school.request(
      'GET',
      '/api/v1/people/00000000-0000-4000-8000-000000000000',
      undefined,
      {
        'x-request-id': 'trace-123',
      },
    );
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(expectProblem(response, 404).requestId).toBe('trace-123');
  });
});
