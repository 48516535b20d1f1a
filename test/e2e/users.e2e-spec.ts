import type {
  AuditEventResponse,
  MunicipalityResponse,
  Page,
  UserResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The password an administrator sets for the accounts these tests create. */
const NEW_PASSWORD = 'ett-langt-losenord';

describe('administration: accounts, organisation and settings', () => {
  let app: TestApp;
  let admin: ApiClient;
  let auditor: ApiClient;
  let unitId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [admin, auditor] = await Promise.all([app.as('admin@demo.test'), app.as('revisor@demo.test')]);
    const units = await admin.get<Page<{ id: string; name: string }>>(
      '/api/v1/units?agency=school',
    );
    unitId = units.body.items.find((unit) => unit.name === 'Skolan Norra')!.id;
  });
  afterAll(() => app.close());

  const userIdOf = async (email: string) =>
    (await admin.get<Page<UserResponse>>('/api/v1/users?limit=200')).body.items.find(
      (user) => user.email === email,
    )!.id;

  const actionsOn = async (recordId: string) =>
    (await auditor.get<Page<AuditEventResponse>>('/api/v1/audit?limit=200')).body.items
      .filter((event) => event.recordId === recordId)
      .map((event) => event.action);

  it('takes a user who is no longer staff out of their cases; not while they are responsible for one', async () => {
    const coordinator = await app.as('samordnare@demo.test');
    const created = await admin.post<UserResponse>('/api/v1/users', {
      email: 'blir.revisor@demo.test',
      displayName: 'Blir Revisor',
      roles: ['school_staff'],
      unitId,
      password: NEW_PASSWORD,
    });
    const people = await coordinator.get<Page<{ id: string }>>('/api/v1/people?limit=1');
    const areas = await coordinator.get<Page<{ id: string }>>('/api/v1/areas');
    const kase = await coordinator.post<{ id: string; members: { userId: string }[] }>(
      '/api/v1/cases',
      {
        kind: 'sspf',
        personId: people.body.items[0]!.id,
        areaId: areas.body.items[0]!.id,
        memberUserIds: [created.body.id],
      },
    );
    expect(kase.body.members.map((member) => member.userId)).toContain(created.body.id);
    const changed = await admin.patch<UserResponse>(`/api/v1/users/${created.body.id}/roles`, {
      roles: ['auditor'],
    });
    expect(changed.status).toBe(200);
    const after = await coordinator.get<{ members: { userId: string }[] }>(
      `/api/v1/cases/${kase.body.id}`,
    );
    expect(after.body.members.map((member) => member.userId)).not.toContain(created.body.id);
    // The responsible user of an open case keeps a staff role until someone else takes over.
    const responsible = await admin.patch(
      `/api/v1/users/${await userIdOf('samordnare@demo.test')}/roles`,
      { roles: ['auditor'] },
    );
    expect(expectProblem(responsible, 409).detail).toMatch(/responsible for/);
  });

  it('keeps administration apart from casework: admin is not combined with a staff role (found by a black-box probe)', async () => {
    const both = await admin.post('/api/v1/users', {
      email: 'admin.och.samordnare@demo.test',
      displayName: 'Både Och',
      roles: ['coordinator', 'admin'],
      unitId,
      password: NEW_PASSWORD,
    });
    expect(reasonsFor(expectProblem(both, 400), 'roles')).toEqual([
      expect.stringMatching(/^admin cannot be combined with coordinator/),
    ]);
    const staff = await admin.post<UserResponse>('/api/v1/users', {
      email: 'bara.samordnare@demo.test',
      displayName: 'Bara Samordnare',
      roles: ['coordinator'],
      unitId,
      password: NEW_PASSWORD,
    });
    expect(staff.status).toBe(201);
    const changed = await admin.patch(`/api/v1/users/${staff.body.id}/roles`, {
      roles: ['coordinator', 'admin'],
    });
    expect(reasonsFor(expectProblem(changed, 400), 'roles')).toHaveLength(1);
    expect((await admin.get<UserResponse>(`/api/v1/users/${staff.body.id}`)).body.roles).toEqual([
      'coordinator',
    ]);
  });

  it('creates a user who can sign in, changes their roles and disables them, each audited', async () => {
    const created = await admin.post<UserResponse>('/api/v1/users', {
      email: 'Ny.Larare@demo.test',
      displayName: 'Ny Lärare',
      roles: ['school_staff'],
      unitId,
      password: NEW_PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'ny.larare@demo.test',
      roles: ['school_staff'],
      status: 'active',
    });
    const teacher = await app.api.as('ny.larare@demo.test', NEW_PASSWORD);
    expect((await teacher.get('/api/v1/people')).status).toBe(200);

    // A role change applies to the next request (cached abilities are versioned).
    const changed = await admin.patch<UserResponse>(`/api/v1/users/${created.body.id}/roles`, {
      roles: ['auditor'],
    });
    expect(changed.body.roles).toEqual(['auditor']);
    expectProblem(await teacher.get('/api/v1/people'), 403);
    expect((await teacher.get('/api/v1/audit/verify')).status).toBe(200);

    // Disabling ends the user's sessions at once.
    const disabled = await admin.post<UserResponse>(`/api/v1/users/${created.body.id}/disable`, {
      reason: 'Slutat',
    });
    expect(disabled.body.status).toBe('disabled');
    expectProblem(await teacher.get('/api/v1/me'), 401);
    expectProblem(
      await app.api.post('/api/v1/auth/login', {
        email: 'ny.larare@demo.test',
        password: NEW_PASSWORD,
      }),
      403,
    );

    expect(await actionsOn(created.body.id)).toEqual(
      expect.arrayContaining(['user.create', 'user.roles_change', 'user.disable']),
    );
  });

  it('refuses a duplicate email, an unknown role and a short password with clear errors', async () => {
    expectProblem(
      await admin.post('/api/v1/users', {
        email: 'polis@demo.test',
        displayName: 'Dubblett',
        roles: ['school_staff'],
        unitId,
      }),
      409,
    );
    const problem = expectProblem(
      await admin.post('/api/v1/users', {
        email: 'x@demo.test',
        displayName: 'X',
        roles: ['king'],
        unitId,
        password: 'short',
      }),
      400,
    );
    expect(reasonsFor(problem, 'roles').join(' ')).toMatch(/roles/);
    expect(reasonsFor(problem, 'password').join(' ')).toMatch(/12/);
  });

  it('gives an account only roles of its unit’s agency (coordinators the municipality’s; auditors and administrators any)', async () => {
    const policeInSchool = expectProblem(
      await admin.post('/api/v1/users', {
        email: 'fel.roll@demo.test',
        displayName: 'Fel Roll',
        roles: ['police_liaison'],
        unitId,
        password: NEW_PASSWORD,
      }),
      400,
    );
    expect(reasonsFor(policeInSchool, 'roles')).toEqual([
      "police_liaison belongs to police, and the user's unit is of school",
    ]);
    const mixed = expectProblem(
      await admin.post('/api/v1/users', {
        email: 'fel.roll@demo.test',
        displayName: 'Fel Roll',
        roles: ['school_staff', 'social_worker', 'health_staff'],
        unitId,
        password: NEW_PASSWORD,
      }),
      400,
    );
    expect(reasonsFor(mixed, 'roles')).toHaveLength(2);
    // An SSPF coordinator is the municipality's: not at the police (nor the region's health care),
    // where the role would show every case of the area.
    const units = await admin.get<Page<{ id: string; name: string }>>('/api/v1/units?limit=100');
    const police = units.body.items.find((unit) => unit.name === 'Polisen Norra')!.id;
    const policeCoordinator = expectProblem(
      await admin.post('/api/v1/users', {
        email: 'fel.roll@demo.test',
        displayName: 'Fel Roll',
        roles: ['coordinator'],
        unitId: police,
        password: NEW_PASSWORD,
      }),
      400,
    );
    expect(reasonsFor(policeCoordinator, 'roles')).toEqual([
      "coordinator belongs to social_services or school or leisure, and the user's unit is of police",
    ]);
    // Nothing was created: the address is free, and no such account signs in.
    const listed = await admin.get<Page<UserResponse>>('/api/v1/users?limit=200');
    expect(listed.body.items.map((user) => user.email)).not.toContain('fel.roll@demo.test');
    expectProblem(
      await app.api.post('/api/v1/auth/login', {
        email: 'fel.roll@demo.test',
        password: NEW_PASSWORD,
      }),
      401,
    );

    const created = await admin.post<UserResponse>('/api/v1/users', {
      email: 'ratt.roll@demo.test',
      displayName: 'Rätt Roll',
      roles: ['school_staff', 'coordinator'],
      unitId,
      password: NEW_PASSWORD,
    });
    expect(created.status).toBe(201);
    const changed = expectProblem(
      await admin.patch(`/api/v1/users/${created.body.id}/roles`, { roles: ['police_liaison'] }),
      400,
    );
    expect(reasonsFor(changed, 'roles')).toEqual([
      "police_liaison belongs to police, and the user's unit is of school",
    ]);
    const after = await admin.get<UserResponse>(`/api/v1/users/${created.body.id}`);
    expect(after.body.roles).toEqual(['school_staff', 'coordinator']);
    // The account cannot post police notices.
    const teacher = await app.api.as('ratt.roll@demo.test', NEW_PASSWORD);
    expectProblem(await teacher.post('/api/v1/notices', {}), 403);
    expect(
      (
        await admin.patch<UserResponse>(`/api/v1/users/${created.body.id}/roles`, {
          roles: ['admin'],
        })
      ).body.roles,
    ).toEqual(['admin']);
    expect(
      (
        await admin.patch<UserResponse>(`/api/v1/users/${created.body.id}/roles`, {
          roles: ['auditor'],
        })
      ).body.roles,
    ).toEqual(['auditor']);
  });

  it('lets every user read their own account by id, and no one else’s', async () => {
    const others = await admin.get<Page<UserResponse>>('/api/v1/users?limit=200');
    for (const email of ['skola@demo.test', 'revisor@demo.test', 'polis@demo.test']) {
      const client = await app.as(email);
      const me = await client.get<{ user: { id: string } }>('/api/v1/me');
      const own = await client.get<UserResponse>(`/api/v1/users/${me.body.user.id}`);
      expect(own.status).toBe(200);
      expect(own.body).toEqual(others.body.items.find((user) => user.id === me.body.user.id));
      expect(own.body.email).toBe(email);
      const someoneElse = others.body.items.find((user) => user.id !== me.body.user.id)!;
      expectProblem(await client.get(`/api/v1/users/${someoneElse.id}`), 404);
      expectProblem(await client.get('/api/v1/users'), 403);
    }
  });

  it('keeps account administration to administrators', async () => {
    const worker = await app.as('socialsekreterare@demo.test');
    expectProblem(await worker.get('/api/v1/users'), 403);
    expectProblem(
      await worker.post('/api/v1/users', {
        email: 'y@demo.test',
        displayName: 'Y',
        roles: ['admin'],
        unitId,
      }),
      403,
    );
  });

  it('stores municipal settings, validates them and audits changes', async () => {
    const before = await admin.get<MunicipalityResponse>('/api/v1/municipality');
    expect(before.body.settings).toEqual({
      youthConsentAge: 15,
      sigMinAge: 12,
      sigMaxAge: 20,
      meetingReminderMinutes: [1440, 60],
    });
    const updated = await admin.patch<MunicipalityResponse>('/api/v1/municipality/settings', {
      sigMaxAge: 29,
    });
    expect(updated.body.settings.sigMaxAge).toBe(29);
    expectProblem(
      await admin.patch('/api/v1/municipality/settings', { sigMinAge: 25, sigMaxAge: 20 }),
      400,
    );
    expectProblem(await admin.patch('/api/v1/municipality/settings', { youthConsentAge: 40 }), 400);
    const worker = await app.as('socialsekreterare@demo.test');
    expect(
      (await worker.get<MunicipalityResponse>('/api/v1/municipality')).body.settings.sigMaxAge,
    ).toBe(29);
    expectProblem(await worker.patch('/api/v1/municipality/settings', { sigMaxAge: 21 }), 403);
    expect(await actionsOn(before.body.id)).toContain('municipality.settings_update');
  });

  it('creates areas and units', async () => {
    const area = await admin.post<{ id: string }>('/api/v1/areas', { name: 'Västra' });
    expect(area.status).toBe(201);
    expectProblem(await admin.post('/api/v1/areas', { name: 'Västra' }), 409);
    const unit = await admin.post('/api/v1/units', {
      name: 'Västra skolan',
      agency: 'school',
      areaId: area.body.id,
    });
    expect(unit.status).toBe(201);
    expectProblem(
      await admin.post('/api/v1/units', { name: 'Fel', agency: 'church', areaId: area.body.id }),
      400,
    );
  });
});
