import type { Page, PersonResponse, UserResponse } from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { expectProblem } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Nothing crosses municipalities: another municipality's records are 404, never 403. */
describe('tenant isolation', () => {
  let app: TestApp;
  let demoSchool: ApiClient;
  let demoAdmin: ApiClient;
  let grannbySchool: ApiClient;
  let grannbyAdmin: ApiClient;
  let grannbyAuditor: ApiClient;
  let demoPerson: PersonResponse;
  let grannbyPerson: PersonResponse;

  beforeAll(async () => {
    app = await startTestApp();
    [demoSchool, demoAdmin, grannbySchool, grannbyAdmin, grannbyAuditor] = await Promise.all([
      app.as('skola@demo.test'),
      app.as('admin@demo.test'),
      app.as('skola@grannby.test'),
      app.as('admin@grannby.test'),
      app.as('revisor@grannby.test'),
    ]);
    // Elias (Demo) and Gustav (Grannby) share an identity number: each register is separate.
    demoPerson = (
      await demoSchool.post<Page<PersonResponse>>('/api/v1/people/search', {
        identityNumber: '20110314-2384',
      })
    ).body.items[0]!;
    grannbyPerson = (
      await grannbySchool.post<Page<PersonResponse>>('/api/v1/people/search', {
        identityNumber: '20110314-2384',
      })
    ).body.items[0]!;
  });
  afterAll(() => app.close());

  it('keeps a person register per municipality', () => {
    expect(demoPerson.givenName).toBe('Elias');
    expect(grannbyPerson.givenName).toBe('Gustav');
    expect(demoPerson.id).not.toBe(grannbyPerson.id);
  });

  it('answers 404 for another municipality’s person, on read and on write', async () => {
    expectProblem(await grannbySchool.get(`/api/v1/people/${demoPerson.id}`), 404);
    expectProblem(
      await grannbySchool.patch(`/api/v1/people/${demoPerson.id}`, { address: 'x' }),
      404,
    );
    expectProblem(await demoSchool.get(`/api/v1/people/${grannbyPerson.id}`), 404);
    expectProblem(
      await grannbyAdmin.post(`/api/v1/people/${demoPerson.id}/clearances`, {
        userId: '00000000-0000-4000-8000-000000000000',
        reason: 'cross-tenant attempt',
      }),
      404,
    );
  });

  it('never lists or finds another municipality’s people', async () => {
    const list = await grannbySchool.get<Page<PersonResponse>>('/api/v1/people?limit=200');
    expect(list.body.items.map((person) => person.givenName)).toEqual(['Gustav']);
    const search = await grannbySchool.post<Page<PersonResponse>>('/api/v1/people/search', {
      name: 'Elias',
    });
    expect(search.body.items).toEqual([]);
  });

  it('keeps users, units and areas per municipality', async () => {
    const demoUsers = await demoAdmin.get<Page<UserResponse>>('/api/v1/users?limit=200');
    const grannbyUsers = await grannbyAdmin.get<Page<UserResponse>>('/api/v1/users?limit=200');
    expect(demoUsers.body.items.every((user) => user.email.endsWith('@demo.test'))).toBe(true);
    expect(grannbyUsers.body.items.every((user) => user.email.endsWith('@grannby.test'))).toBe(
      true,
    );
    const demoUser = demoUsers.body.items[0]!;
    expectProblem(await grannbyAdmin.get(`/api/v1/users/${demoUser.id}`), 404);
    expectProblem(await grannbyAdmin.post(`/api/v1/users/${demoUser.id}/disable`, {}), 404);
    const demoUnits = await demoAdmin.get<Page<{ id: string }>>('/api/v1/units?limit=200');
    const problem = expectProblem(
      await grannbyAdmin.post('/api/v1/users', {
        email: 'intruder@grannby.test',
        displayName: 'Intruder',
        roles: ['school_staff'],
        unitId: demoUnits.body.items[0]!.id,
        password: 'a-long-enough-password',
      }),
      400,
    );
    expect(problem.detail).toMatch(/unit/);
    const areas = await grannbyAdmin.get<Page<{ name: string }>>('/api/v1/areas');
    expect(areas.body.items.map((area) => area.name)).toEqual(['Centrum']);
  });

  it('keeps the audit trail per municipality', async () => {
    const trail = await grannbyAuditor.get<Page<{ personId: string | null }>>(
      `/api/v1/audit?personId=${demoPerson.id}`,
    );
    expect(trail.status).toBe(200);
    expect(trail.body.items).toEqual([]);
  });
});
