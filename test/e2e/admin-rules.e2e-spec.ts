import type {
  AuditEventResponse,
  CalendarFeedResponse,
  ClearanceResponse,
  MunicipalityResponse,
  Page,
  UserResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { PASSWORD } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

/** The demo's young person with a protected identity; the social worker is cleared for her. */
const PROTECTED = '20100621-4827';

/**
 * Found by a black-box probe: the rules that keep administration apart from access. An
 * administrator gives no one, themselves least, more than another administrator would see them
 * give; an auditor reviews others; and what an administrator changes is in the trail.
 */
describe('administration rules', () => {
  let app: TestApp;
  let admin: ApiClient;
  let auditor: ApiClient;
  let ids: DemoIds;
  let adminId: string;
  let protectedId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [admin, auditor] = await Promise.all([app.as('admin@demo.test'), app.as('revisor@demo.test')]);
    ids = await DemoIds.load(admin);
    adminId = await ids.userId('admin@demo.test');
    const social = await app.as('socialsekreterare@demo.test');
    protectedId = (await personByNumber(social, PROTECTED)).id;
  });
  afterAll(() => app.close());

  /** The stored details of the events of an action about a record, oldest first. */
  const detailsOf = async (action: string, recordId: string) =>
    (
      await app.running.dataSource.query<{ details: string | null }[]>(
        'SELECT details FROM audit_event WHERE action = $1 AND record_id = $2 ORDER BY occurred_at, seq',
        [action, recordId],
      )
    ).map((row) => (row.details === null ? null : (JSON.parse(row.details) as unknown)));

  /** A second administrator, in the administrator's unit. */
  const secondAdmin = async (email: string) => {
    const unitId = (await admin.get<UserResponse>(`/api/v1/users/${adminId}`)).body.unitId;
    await addStaff(admin, { email, displayName: 'Andra Admin', roles: ['admin'], unitId });
    return app.as(email);
  };

  describe('no administrator gives themselves access', () => {
    it('refuses a change of one’s own roles, a staff role added as much as the admin role dropped', async () => {
      const added = expectProblem(
        await admin.patch(`/api/v1/users/${adminId}/roles`, {
          roles: ['admin', 'social_worker'],
        }),
        403,
      );
      expect(added.detail).toMatch(/another administrator changes your roles/);
      expectProblem(await admin.patch(`/api/v1/users/${adminId}/roles`, { roles: ['admin'] }), 403);
      const dropped = expectProblem(
        await admin.patch(`/api/v1/users/${adminId}/roles`, { roles: ['social_worker'] }),
        403,
      );
      expect(dropped.detail).toMatch(/another administrator changes your roles/);
      // Nothing changed: the administrator still cannot read the register.
      expect((await admin.get<UserResponse>(`/api/v1/users/${adminId}`)).body.roles).toEqual([
        'admin',
      ]);
      const fresh = await app.as('admin@demo.test');
      expectProblem(await fresh.get(`/api/v1/people/${protectedId}`), 403);
      expect(await detailsOf('user.roles_change', adminId)).toEqual([]);
    });

    it('refuses a clearance granted to oneself, and stores none', async () => {
      const refused = expectProblem(
        await admin.post(`/api/v1/people/${protectedId}/clearances`, {
          userId: adminId,
          reason: 'Behöver se henne',
        }),
        403,
      );
      expect(refused.detail).not.toMatch(/Alva|Lind/);
      const listed = await admin.get<Page<ClearanceResponse>>(
        `/api/v1/people/${protectedId}/clearances`,
      );
      expect(listed.body.items.map((clearance) => clearance.userId)).not.toContain(adminId);
      expect(await detailsOf('person.clearance_grant', protectedId)).toEqual([]);
      // An unknown person is still a 404 first, whoever is named.
      expectProblem(
        await admin.post('/api/v1/people/00000000-0000-4000-8000-000000000000/clearances', {
          userId: adminId,
          reason: 'Behöver se henne',
        }),
        404,
      );
    });

    it('keeps the auditor role apart: combined with another role it is a 400 naming roles, at creation and on a change', async () => {
      const unitId = ids.unit('Skolan Norra');
      for (const roles of [
        ['admin', 'auditor'],
        ['coordinator', 'auditor'],
        ['auditor', 'school_staff'],
      ]) {
        const refused = expectProblem(
          await admin.post('/api/v1/users', {
            email: 'revisor.och.mer@demo.test',
            displayName: 'Revisor Och Mer',
            roles,
            unitId,
            password: PASSWORD,
          }),
          400,
        );
        expect(reasonsFor(refused, 'roles').join(' ')).toMatch(/auditor cannot be combined/);
      }
      const users = await admin.get<Page<UserResponse>>('/api/v1/users?limit=200');
      expect(users.body.items.map((user) => user.email)).not.toContain('revisor.och.mer@demo.test');

      const coordinatorId = await addStaff(admin, {
        email: 'samordnare.tva@demo.test',
        displayName: 'Samordnare Två',
        roles: ['coordinator'],
        unitId,
      });
      const changed = expectProblem(
        await admin.patch(`/api/v1/users/${coordinatorId}/roles`, {
          roles: ['coordinator', 'auditor'],
        }),
        400,
      );
      expect(reasonsFor(changed, 'roles')).toHaveLength(1);
      expect((await admin.get<UserResponse>(`/api/v1/users/${coordinatorId}`)).body.roles).toEqual([
        'coordinator',
      ]);
      // Alone it is taken, whatever the agency of the unit.
      const alone = await admin.patch<UserResponse>(`/api/v1/users/${coordinatorId}/roles`, {
        roles: ['auditor'],
      });
      expect(alone.status).toBe(200);
      expect(alone.body.roles).toEqual(['auditor']);
    });
  });

  it('answers a clearance granted again with a 409 already-cleared that changes nothing', async () => {
    const schoolId = await ids.userId('skola@demo.test');
    // No identity number in a reason every administrator reads (found by a black-box probe).
    const numbered = expectProblem(
      await admin.post(`/api/v1/people/${protectedId}/clearances`, {
        userId: schoolId,
        reason: 'Handläggare för 20100621-4827',
      }),
      400,
    );
    expect(reasonsFor(numbered, 'reason')).toEqual(['reason must not contain an identity number']);
    const first = await admin.post<ClearanceResponse>(`/api/v1/people/${protectedId}/clearances`, {
      userId: schoolId,
      reason: 'Mentor för eleven',
    });
    expect(first.status).toBe(201);
    const other = await secondAdmin('admin.tva@demo.test');
    const again = expectProblem(
      await other.post(`/api/v1/people/${protectedId}/clearances`, {
        userId: schoolId,
        reason: 'Ett annat skäl',
      }),
      409,
    );
    expect(again.type).toMatch(/already-cleared$/);
    const listed = await admin.get<Page<ClearanceResponse>>(
      `/api/v1/people/${protectedId}/clearances`,
    );
    expect(listed.body.items.find((clearance) => clearance.userId === schoolId)).toEqual(
      first.body,
    );
    // One grant in the trail, the first grantor's.
    const grants = await app.running.dataSource.query<{ actor_user_id: string; reason: string }[]>(
      `SELECT actor_user_id, reason FROM audit_event WHERE action = 'person.clearance_grant' AND record_id = $1`,
      [protectedId],
    );
    expect(grants).toEqual([{ actor_user_id: adminId, reason: 'Mentor för eleven' }]);
    expect(
      (await admin.delete(`/api/v1/people/${protectedId}/clearances/${schoolId}`)).status,
    ).toBe(204);
  });

  describe('the trail says what was done', () => {
    it('names the user cleared and un-cleared', async () => {
      const policeId = await ids.userId('polis@demo.test');
      expect(
        (
          await admin.post(`/api/v1/people/${protectedId}/clearances`, {
            userId: policeId,
            reason: 'Utreder anmälan',
          })
        ).status,
      ).toBe(201);
      expect(
        (await admin.delete(`/api/v1/people/${protectedId}/clearances/${policeId}`)).status,
      ).toBe(204);
      expect(await detailsOf('person.clearance_grant', protectedId)).toContainEqual({
        userId: policeId,
      });
      expect(await detailsOf('person.clearance_revoke', protectedId)).toContainEqual({
        userId: policeId,
      });
    });

    it('gives a role change’s roles before and after', async () => {
      const userId = await addStaff(admin, {
        email: 'byter.roll@demo.test',
        displayName: 'Byter Roll',
        roles: ['school_staff'],
        unitId: ids.unit('Skolan Norra'),
      });
      expect(
        (
          await admin.patch(`/api/v1/users/${userId}/roles`, {
            roles: ['school_staff', 'coordinator'],
          })
        ).status,
      ).toBe(200);
      expect(await detailsOf('user.roles_change', userId)).toEqual([
        { before: ['school_staff'], after: ['school_staff', 'coordinator'] },
      ]);
    });

    it('gives the settings changed with their values before and after; a change of nothing writes nothing', async () => {
      const municipality = await admin.get<MunicipalityResponse>('/api/v1/municipality');
      const id = municipality.body.id;
      const before = municipality.body.settings;
      const updated = await admin.patch<MunicipalityResponse>('/api/v1/municipality/settings', {
        sigMaxAge: before.sigMaxAge + 1,
        youthConsentAge: before.youthConsentAge,
      });
      expect(updated.status).toBe(200);
      expect(await detailsOf('municipality.settings_update', id)).toEqual([
        { changed: { sigMaxAge: { before: before.sigMaxAge, after: before.sigMaxAge + 1 } } },
      ]);

      const unchanged = await admin.patch<MunicipalityResponse>(
        '/api/v1/municipality/settings',
        {},
      );
      expect(unchanged.status).toBe(200);
      expect(unchanged.body).toEqual(updated.body);
      const same = await admin.patch<MunicipalityResponse>('/api/v1/municipality/settings', {
        meetingReminderMinutes: [...before.meetingReminderMinutes].reverse(),
      });
      expect(same.body).toEqual(updated.body);
      expect(await detailsOf('municipality.settings_update', id)).toHaveLength(1);
    });
  });

  it('audits a sign-in with the right password to a disabled account, saying why it failed', async () => {
    const userId = await addStaff(admin, {
      email: 'slutat@demo.test',
      displayName: 'Har Slutat',
      roles: ['leisure_staff'],
      unitId: ids.unit('Fritidsgården Norra'),
    });
    expect((await admin.post(`/api/v1/users/${userId}/disable`, { reason: 'Slutat' })).status).toBe(
      200,
    );
    const refused = expectProblem(
      await app.api.post('/api/v1/auth/login', { email: 'slutat@demo.test', password: PASSWORD }),
      403,
    );
    expect(refused.type).toMatch(/account-disabled$/);
    expectProblem(
      await app.api.post('/api/v1/auth/login', {
        email: 'slutat@demo.test',
        password: 'inte-losenordet-alls',
      }),
      401,
    );
    const trail = await auditor.get<Page<AuditEventResponse>>(
      `/api/v1/audit?action=auth.login_failed&actorUserId=${userId}`,
    );
    expect(
      trail.body.items.map((event) => [event.action, event.recordId, event.reason]).reverse(),
    ).toEqual([
      ['auth.login_failed', userId, 'account-disabled'],
      ['auth.login_failed', userId, 'invalid-credentials'],
    ]);
  });

  it('ends a disabled account’s calendar feed for good: enabling it again does not bring the address back', async () => {
    const userId = await addStaff(admin, {
      email: 'kalender.slutar@demo.test',
      displayName: 'Kalender Slutar',
      roles: ['leisure_staff'],
      unitId: ids.unit('Fritidsgården Norra'),
    });
    const user = await app.as('kalender.slutar@demo.test');
    const feed = await user.post<CalendarFeedResponse>('/api/v1/me/calendar-feed');
    expect(feed.status).toBe(201);
    expect((await fetch(feed.body.url)).status).toBe(200);

    expect((await admin.post(`/api/v1/users/${userId}/disable`, {})).status).toBe(200);
    expect((await fetch(feed.body.url)).status).toBe(404);
    expect((await admin.post(`/api/v1/users/${userId}/enable`)).status).toBe(200);
    expect((await fetch(feed.body.url)).status).toBe(404);
    expect(
      await app.running.dataSource.query('SELECT 1 FROM calendar_feed WHERE user_id = $1', [
        userId,
      ]),
    ).toEqual([]);
    expect(await detailsOf('calendar_feed.revoke', userId)).toEqual([
      { reason: 'account_disabled' },
    ]);
    // The user asks for a new address and gets one.
    const again = await app.as('kalender.slutar@demo.test');
    const renewed = await again.post<CalendarFeedResponse>('/api/v1/me/calendar-feed');
    expect((await fetch(renewed.body.url)).status).toBe(200);
  });

  it('keeps area and unit names unique ignoring case and surrounding spaces', async () => {
    const area = await admin.post<{ id: string; name: string }>('/api/v1/areas', {
      name: '  Östra ',
    });
    expect(area.status).toBe(201);
    expect(area.body.name).toBe('Östra');
    for (const name of ['östra', ' ÖSTRA  ', 'Östra']) {
      expectProblem(await admin.post('/api/v1/areas', { name }), 409);
    }
    expectProblem(await admin.post('/api/v1/areas', { name: 'norra ' }), 409);
    const areas = await admin.get<Page<{ name: string }>>('/api/v1/areas?limit=100');
    expect(
      areas.body.items
        .filter((item) => item.name.toLowerCase() === 'östra')
        .map((item) => item.name),
    ).toEqual(['Östra']);

    const unit = await admin.post('/api/v1/units', {
      name: 'Östra skolan',
      agency: 'school',
      areaId: area.body.id,
    });
    expect(unit.status).toBe(201);
    for (const name of ['östra SKOLAN', ' Östra skolan ', 'skolan norra']) {
      expectProblem(
        await admin.post('/api/v1/units', { name, agency: 'school', areaId: area.body.id }),
        409,
      );
    }
    const units = await admin.get<Page<{ name: string }>>(`/api/v1/units?areaId=${area.body.id}`);
    expect(units.body.items.map((item) => item.name)).toEqual(['Östra skolan']);
  });
});
