import { personnummer } from '@samverka/api';
import type { MunicipalityResponse, Page, PersonResponse } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { postLegalBasis } from '../support/catalog.js';
import { bornYearsAgo } from '../support/people.js';
import { connectSocket, requestUnchecked } from '../support/sockets.js';
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

  it('says in words what a role may not do, not in the policy’s names (found by a black-box probe)', async () => {
    const refused = expectProblem(await postLegalBasis(school, { code: 'Ny grund' }), 403);
    expect(refused.detail).toBe('Your role does not allow you to create legal bases');
  });

  it('answers a path outside the API as one inside: problem details with a request id', async () => {
    for (const path of ['/nope', '//api/v1/me', '/api/v1/nope']) {
      const response = await fetch(`${app.api.baseUrl}${path}`, {
        headers: { 'x-request-id': 'trace-outside' },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('x-request-id')).toBe('trace-outside');
      expect(await response.json()).toMatchObject({
        status: 404,
        detail: `Cannot GET ${path}`,
        requestId: 'trace-outside',
      });
    }
    const malformed = await fetch(`${app.api.baseUrl}/nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ detail: 'The request body is not valid JSON' });
  });

  it('answers a body of one JSON value that is no object with a 400 saying what it is', async () => {
    const before = await peopleCount();
    for (const [body, kind] of [
      ['null', 'null'],
      ['42', 'a number'],
      ['"Elsa Berg"', 'a string'],
      [' true ', 'a boolean'],
    ] as const) {
      const problem = expectProblem(await school.request('POST', '/api/v1/people', body), 400);
      const reason = `the body must be a JSON object, not ${kind}`;
      expect(problem).toMatchObject({
        detail: reason,
        errors: [{ field: '(body)', reasons: [reason] }],
      });
    }
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

  it('names the field a value is wrong in, and does not pass over an empty filter', async () => {
    const coordinator = await app.as('samordnare@demo.test');
    const ids = await DemoIds.load(await app.as('admin@demo.test'));
    const owner = expectProblem(
      await coordinator.post('/api/v1/cases', {
        kind: 'sspf',
        personId: (await personByNumber(coordinator, '20110314-2384')).id,
        areaId: ids.areaNorra,
        owningUnitId: '00000000-0000-4000-8000-000000000000',
      }),
      400,
    );
    expect(owner.errors?.map((error) => error.field)).toEqual(['owningUnitId']);
    const empty = expectProblem(
      await school.post('/api/v1/entries/search', { text: 'zebra', category: '' }),
      400,
    );
    expect(empty.errors?.map((error) => error.field)).toEqual(['category']);
  });

  it('takes a legal basis code only as a statute is cited, and once whatever its case', async () => {
    const admin = await app.as('admin@demo.test');
    const basis = (code: string) => postLegalBasis(admin, { code, fromAgencies: ['school'] });
    const before = (await admin.get<Page<unknown>>('/api/v1/legal-bases?limit=100')).body.items;
    for (const code of ['  ', 'Tab\tkod', 'OSL 10:2\u200b', 'OSL  10:2', ' OSL 10:3']) {
      const refused = expectProblem(await basis(code), 400);
      expect({ code, fields: refused.errors?.map((error) => error.field) }).toEqual({
        code,
        fields: ['code'],
      });
    }
    expect(expectProblem(await basis('osl 10:2'), 409).detail).toMatch(/OSL 10:2 already exists/);
    const after = (await admin.get<Page<unknown>>('/api/v1/legal-bases?limit=100')).body.items;
    expect(after).toHaveLength(before.length);
    expect((await basis('LVU 11 § 2 st')).status).toBe(201);
  });

  it('reads a number in a query only as decimal digits', async () => {
    for (const limit of ['0x10', '0b11', '1e2', '+3', '%205', '2.0']) {
      const refused = expectProblem(await school.get(`/api/v1/cases?limit=${limit}`), 400);
      expect({ limit, fields: refused.errors?.map((error) => error.field) }).toEqual({
        limit,
        fields: ['limit'],
      });
    }
    expect((await school.get('/api/v1/cases?limit=3')).status).toBe(200);
  });

  it('says a query parameter was given twice, not that its values are wrong (found by a black-box probe)', async () => {
    const twice = expectProblem(
      await school.get('/api/v1/cases?limit=2&limit=3&status=closed&status=closed'),
      400,
    );
    expect(twice.errors).toEqual([
      { field: 'limit', reasons: ['limit is given more than once: give it once'] },
      { field: 'status', reasons: ['status is given more than once: give it once'] },
    ]);
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

  let serial = 400;
  /** A new person for one test, with an address, a school and a gender to change or clear. */
  async function registerPerson(): Promise<PersonResponse> {
    serial += 1;
    const created = await school.post<PersonResponse>('/api/v1/people', {
      identityNumber: personnummer(bornYearsAgo(13), String(serial)),
      givenName: 'Nils',
      familyName: 'Nullsson',
      address: 'Storgatan 1',
      school: 'Norraskolan',
      gender: 'male',
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  const readPerson = async (id: string) =>
    (await school.get<PersonResponse>(`/api/v1/people/${id}`)).body;

  describe('null is a value only where it clears one', () => {
    it.each([
      ['givenName', 'givenName must not be null'],
      ['identityNumber', 'identityNumber must not be null'],
      ['protectionLevel', 'protectionLevel must not be null'],
      ['birthDate', 'birthDate must not be null'],
      ['guardians', 'guardians must not be null'],
    ])('a person’s %s: null is a 400 naming it, and nothing changes', async (field, reason) => {
      const person = await registerPerson();
      const problem = expectProblem(
        await school.patch(`/api/v1/people/${person.id}`, { [field]: null }),
        400,
      );
      expect(problem.errors).toEqual([{ field, reasons: [reason] }]);
      expect(await readPerson(person.id)).toEqual(person);
    });

    it('clears a person’s address, school or gender with null, and only those', async () => {
      const person = await registerPerson();
      const cleared = await school.patch<PersonResponse>(`/api/v1/people/${person.id}`, {
        address: null,
        school: null,
        gender: null,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        address: null,
        school: null,
        gender: null,
        givenName: 'Nils',
        identityNumber: person.identityNumber,
      });
    });

    it('refuses null in a new person and in a search, naming the field', async () => {
      const before = await peopleCount();
      const created = expectProblem(
        await school.post('/api/v1/people', {
          identityNumber: null,
          givenName: 'Noll',
          familyName: 'Person',
          address: null,
        }),
        400,
      );
      expect(created.errors).toEqual([
        { field: 'identityNumber', reasons: ['identityNumber must not be null'] },
        { field: 'address', reasons: ['address must not be null'] },
      ]);
      expect(await peopleCount()).toBe(before);
      const search = expectProblem(await school.post('/api/v1/people/search', { name: null }), 400);
      expect(search.errors).toEqual([{ field: 'name', reasons: ['name must not be null'] }]);
    });

    it.each(['youthConsentAge', 'sigMinAge', 'sigMaxAge', 'meetingReminderMinutes'])(
      'refuses a null %s in the municipality’s settings, naming it',
      async (field) => {
        const admin = await app.as('admin@demo.test');
        const before = (await admin.get<MunicipalityResponse>('/api/v1/municipality')).body;
        const problem = expectProblem(
          await admin.patch('/api/v1/municipality/settings', { [field]: null }),
          400,
        );
        expect(problem.errors).toEqual([{ field, reasons: [`${field} must not be null`] }]);
        expect((await admin.get('/api/v1/municipality')).body).toEqual(before);
      },
    );
  });

  describe('a NUL character is refused wherever text comes in, naming where', () => {
    const reason = (field: string) =>
      `${field} is not valid text (it holds a NUL character, U+0000)`;

    it('in a body', async () => {
      const search = expectProblem(
        await school.post('/api/v1/entries/search', { text: '\u0000ab' }),
        400,
      );
      expect(search.errors).toEqual([{ field: 'text', reasons: [reason('text')] }]);
      const before = await peopleCount();
      const nested = expectProblem(
        await school.post('/api/v1/people', {
          identityNumber: personnummer(bornYearsAgo(12), '399'),
          givenName: 'Nul',
          familyName: 'Person',
          guardians: [{ personId: 'a\u0000', custody: true }],
        }),
        400,
      );
      expect(reasonsFor(nested, 'guardians.0.personId')).toEqual([reason('guardians.0.personId')]);
      expect(await peopleCount()).toBe(before);
    });

    it('in a query string and a path', async () => {
      const auditor = await app.as('revisor@demo.test');
      const query = expectProblem(await auditor.get('/api/v1/audit?action=read%00x'), 400);
      expect(query.errors).toEqual([{ field: 'action', reasons: [reason('action')] }]);
      const path = expectProblem(await app.api.get('/api/v1/calendar/a%00b.ics'), 400);
      expect(path.errors).toEqual([{ field: 'token', reasons: [reason('token')] }]);
    });

    it('in a socket payload', async () => {
      const socket = await connectSocket(app.api.baseUrl, school.token);
      try {
        const ack = await requestUnchecked(socket, 'message.send', {
          caseId: '00000000-0000-4000-8000-000000000000',
          clientId: 'nul-client-1',
          body: 'hej\u0000',
          category: 'general',
        });
        expect(ack).toEqual({
          ok: false,
          error: {
            status: 400,
            title: 'Invalid request',
            detail: reason('body'),
            errors: [{ field: 'body', reasons: [reason('body')] }],
          },
        });
      } finally {
        socket.close();
      }
    });
  });

  describe('a query parameter a route does not read is a 400 naming it', () => {
    it.each([
      ['GET', '/api/v1/me?x=1'],
      ['GET', '/api/v1/me?include=all&x=1'],
    ])('%s %s', async (method, path) => {
      const problem = expectProblem(await school.request(method, path), 400);
      const named = new URL(path, 'http://x').searchParams;
      expect(problem.errors?.map((error) => error.field)).toEqual([...named.keys()]);
      expect(reasonsFor(problem, 'x')).toEqual([
        'x is not a known parameter: this request takes no query parameters',
      ]);
    });

    it('on reading a person and verifying the audit trail', async () => {
      const person = await registerPerson();
      const read = expectProblem(await school.get(`/api/v1/people/${person.id}?x=1`), 400);
      expect(read.errors?.map((error) => error.field)).toEqual(['x']);
      const auditor = await app.as('revisor@demo.test');
      const verify = expectProblem(await auditor.get('/api/v1/audit/verify?x=1'), 400);
      expect(verify.errors?.map((error) => error.field)).toEqual(['x']);
    });

    it('on signing out, which then has not happened', async () => {
      const tokens = await app.api.login('skola@demo.test', 'demo-password-123');
      const signedIn = app.api.withToken(tokens.accessToken);
      const problem = expectProblem(
        await signedIn.post('/api/v1/auth/logout?x=1', { refreshToken: tokens.refreshToken }),
        400,
      );
      expect(problem.errors?.map((error) => error.field)).toEqual(['x']);
      expect((await signedIn.get('/api/v1/me')).status).toBe(200);
      const refreshed = await app.api.post('/api/v1/auth/refresh', {
        refreshToken: tokens.refreshToken,
      });
      expect(refreshed.status).toBe(200);
    });
  });

  describe('a body that is not JSON is a 415, and nothing changes', () => {
    it.each([
      ['text/plain', '{"address":"Storgatan 7"}'],
      ['application/merge-patch+json', '{"address":"Storgatan 7"}'],
      ['application/x-www-form-urlencoded', 'address=Storgatan+7'],
      ['application/json-seq', '{"address":"Storgatan 7"}'],
    ])('%s', async (type, body) => {
      const person = await registerPerson();
      const problem = expectProblem(
        await school.request('PATCH', `/api/v1/people/${person.id}`, body, {
          'content-type': type,
        }),
        415,
      );
      expect(problem.detail).toBe(`A request body must be application/json, not ${type}`);
      expect(await readPerson(person.id)).toEqual(person);
    });

    it('a JSON body that is not UTF-8 is a 400 naming the field, not text altered', async () => {
      const person = await registerPerson();
      // "Storgatan 7, Växjö" in Latin-1: the bytes of ä and ö are not UTF-8.
      const latin1 = Buffer.concat([
        Buffer.from('{"address":"Storgatan 7, V'),
        Buffer.from([0xe4]),
        Buffer.from('xj'),
        Buffer.from([0xf6]),
        Buffer.from('"}'),
      ]);
      const response = await fetch(`${app.api.baseUrl}/api/v1/people/${person.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${school.token}`, 'content-type': 'application/json' },
        body: latin1,
      });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors?: { field: string }[] };
      expect(problem.errors?.map((error) => error.field)).toEqual(['address']);
      expect(await readPerson(person.id)).toEqual(person);
    });

    it('also without a content type; JSON with parameters and empty bodies pass', async () => {
      const person = await registerPerson();
      const untyped = await fetch(`${app.api.baseUrl}/api/v1/people/${person.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${school.token}` },
        body: new TextEncoder().encode('{"address":"Storgatan 7"}'),
      });
      expect(untyped.status).toBe(415);
      expect(await untyped.json()).toMatchObject({
        status: 415,
        detail: 'A request body must be application/json; this one has no content type',
      });
      expect(await readPerson(person.id)).toEqual(person);
      const json = await school.request(
        'PATCH',
        `/api/v1/people/${person.id}`,
        '{"address":"Storgatan 7"}',
        { 'content-type': 'Application/JSON; charset=utf-8' },
      );
      expect(json.status).toBe(200);
      expect((await readPerson(person.id)).address).toBe('Storgatan 7');
      const empty = await fetch(`${app.api.baseUrl}/api/v1/me`, {
        headers: { authorization: `Bearer ${school.token}`, 'content-type': 'text/plain' },
      });
      expect(empty.status).toBe(200);
    });
  });

  describe('one true reason per field (found by a black-box probe: the reasons misled)', () => {
    it('a value of the wrong kind gets only the kind as its reason, not the range it was never in', async () => {
      const admin = await app.as('admin@demo.test');
      const before = (await admin.get<MunicipalityResponse>('/api/v1/municipality')).body;
      const problem = expectProblem(
        await admin.patch('/api/v1/municipality/settings', { youthConsentAge: '15' }),
        400,
      );
      expect(problem.errors).toEqual([
        { field: 'youthConsentAge', reasons: ['youthConsentAge must be an integer number'] },
      ]);
      expect(problem.detail).toBe('youthConsentAge must be an integer number');
      const list = expectProblem(
        await admin.patch('/api/v1/municipality/settings', { meetingReminderMinutes: ['60'] }),
        400,
      );
      expect(list.errors).toEqual([
        {
          field: 'meetingReminderMinutes',
          reasons: ['each value in meetingReminderMinutes must be an integer number'],
        },
      ]);
      // In a query string too: a limit that is no number is not also out of range.
      const query = expectProblem(await admin.get('/api/v1/users?limit=abc'), 400);
      expect(query.errors).toEqual([
        { field: 'limit', reasons: ['limit must be an integer number'] },
      ]);
      // A value of the right kind still gets its range.
      const range = expectProblem(
        await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 40 }),
        400,
      );
      expect(reasonsFor(range, 'youthConsentAge')).toEqual([
        'youthConsentAge must not be greater than 18',
      ]);
      expect((await admin.get('/api/v1/municipality')).body).toEqual(before);
    });

    it('a missing required field is said to be required, and nothing else', async () => {
      for (const path of ['/api/v1/auth/logout', '/api/v1/auth/refresh']) {
        const problem = expectProblem(await app.api.post(path, {}), 400);
        expect(problem.errors).toEqual([
          { field: 'refreshToken', reasons: ['refreshToken is required'] },
        ]);
        expect(problem.detail).toBe('refreshToken is required');
      }
      // Nested fields by their path; a field that is there keeps its own reasons.
      const before = await peopleCount();
      const nested = expectProblem(
        await school.post('/api/v1/people', {
          identityNumber: personnummer(bornYearsAgo(12), '398'),
          givenName: 'Saknad',
          guardians: [{ custody: true }],
        }),
        400,
      );
      expect(nested.errors).toEqual([
        { field: 'familyName', reasons: ['familyName is required'] },
        { field: 'guardians.0.personId', reasons: ['guardians.0.personId is required'] },
      ]);
      expect(await peopleCount()).toBe(before);
    });

    it('a body that is an array where an object is expected is said to be one, and nothing changes', async () => {
      const admin = await app.as('admin@demo.test');
      const ids = await DemoIds.load(admin);
      const userId = await ids.userId('fritid@demo.test');
      const roles = (await admin.get<{ roles: string[] }>(`/api/v1/users/${userId}`)).body.roles;
      const reason = 'the body must be a JSON object, not an array';
      for (const body of ['[]', '[{"roles":["coordinator"]}]']) {
        const problem = expectProblem(
          await admin.request('PATCH', `/api/v1/users/${userId}/roles`, body),
          400,
        );
        expect(problem.detail).toBe(reason);
        expect(problem.errors).toEqual([{ field: '(body)', reasons: [reason] }]);
      }
      const login = expectProblem(await app.api.request('POST', '/api/v1/auth/login', '[]'), 400);
      expect(login.errors).toEqual([{ field: '(body)', reasons: [reason] }]);
      expect((await admin.get<{ roles: string[] }>(`/api/v1/users/${userId}`)).body.roles).toEqual(
        roles,
      );
    });
  });

  describe('a request id that could carry an identity number is not kept', () => {
    it.each(['20100621-4827', '201006214827', 'req-2010O621.4827'])(
      '%s is replaced by a fresh one, in the response, the problem and the audit trail',
      async (given) => {
        const person = await registerPerson();
        const read = await school.request('GET', `/api/v1/people/${person.id}`, undefined, {
          'x-request-id': given,
        });
        expect(read.status).toBe(200);
        const id = read.headers.get('x-request-id');
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const audited = async (requestId: string | null) =>
          (
            await app.running.dataSource.query<unknown[]>(
              'SELECT 1 FROM audit_event WHERE person_id = $1 AND request_id = $2',
              [person.id, requestId],
            )
          ).length;
        expect(await audited(id)).toBeGreaterThan(0);
        expect(await audited(given)).toBe(0);
        const missing = await school.request(
          'GET',
          '/api/v1/people/00000000-0000-4000-8000-000000000000',
          undefined,
          { 'x-request-id': given },
        );
        expect(expectProblem(missing, 404).requestId).not.toBe(given);
        expect(missing.headers.get('x-request-id')).not.toBe(given);
      },
    );
  });
});
