import type {
  AuditEventResponse,
  MunicipalityResponse,
  Page,
  UserResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { DemoIds, personByNumber } from '../support/demo.js';
import { postLegalBasis } from '../support/catalog.js';
import { expectProblem } from '../support/expect.js';
import { PASSWORD } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addStaff } from '../support/users.js';

/** The demo's young person with a protected identity. */
const PROTECTED = '20100621-4827';
const WRONG_PASSWORD = 'inte-losenordet';

/**
 * Found by a black-box probe: the trail recorded what an administrator did (whom they cleared,
 * which roles an account had before and after, which settings changed), but the auditor read
 * only that something was done. And a sign-in refused because the account was locked left no
 * trace at all.
 */
describe('what the auditor reads of administrative actions', () => {
  let app: TestApp;
  let admin: ApiClient;
  let auditor: ApiClient;
  let ids: DemoIds;

  beforeAll(async () => {
    app = await startTestApp({ LOCKOUT_THRESHOLD: '3' });
    [admin, auditor] = await Promise.all([app.as('admin@demo.test'), app.as('revisor@demo.test')]);
    ids = await DemoIds.load(admin);
  });
  afterAll(() => app.close());

  /** The auditor's view of one action's events, newest first. */
  const trail = async (action: string, filter = '') => {
    const page = await auditor.get<Page<AuditEventResponse>>(
      `/api/v1/audit?action=${action}${filter}&limit=200`,
    );
    expect(page.status).toBe(200);
    return page.body.items;
  };

  it('shows whom an administrator cleared for a person and whose clearance was revoked', async () => {
    const userId = await addStaff(admin, {
      email: 'ny.handlaggare@demo.test',
      displayName: 'Ny Handläggare',
      roles: ['social_worker'],
      unitId: ids.unit('Socialtjänsten Norra'),
    });
    const social = await app.as('socialsekreterare@demo.test');
    const person = await personByNumber(social, PROTECTED);
    const granted = await admin.post(`/api/v1/people/${person.id}/clearances`, {
      userId,
      reason: 'Handlägger hennes ärende',
    });
    expect(granted.status).toBe(201);
    expect((await admin.delete(`/api/v1/people/${person.id}/clearances/${userId}`)).status).toBe(
      204,
    );

    const events = await trail('person.clearance_grant', `&personId=${person.id}`);
    expect(events[0]).toMatchObject({
      actorUserId: await ids.userId('admin@demo.test'),
      personId: person.id,
      reason: 'Handlägger hennes ärende',
      details: { userId },
    });
    const revoked = await trail('person.clearance_revoke', `&personId=${person.id}`);
    expect(revoked[0]).toMatchObject({ personId: person.id, details: { userId } });
  });

  it('shows the roles an account had before and after a change, and those it was created with', async () => {
    const userId = await addStaff(admin, {
      email: 'byter.roll@demo.test',
      displayName: 'Byter Roll',
      roles: ['school_staff'],
      unitId: ids.unit('Skolan Norra'),
    });
    const changed = await admin.patch<UserResponse>(`/api/v1/users/${userId}/roles`, {
      roles: ['school_staff', 'coordinator'],
    });
    expect(changed.status).toBe(200);
    const [change] = (await trail('user.roles_change')).filter(
      (event) => event.recordId === userId,
    );
    expect(change?.details).toEqual({
      before: ['school_staff'],
      after: ['school_staff', 'coordinator'],
    });
    const [created] = (await trail('user.create')).filter((event) => event.recordId === userId);
    expect(created?.details).toEqual({ roles: ['school_staff'] });
  });

  it('shows what a read of the trail asked for, and what legal basis was added (found by a black-box probe)', async () => {
    const adminId = await ids.userId('admin@demo.test');
    await trail('user.create', `&actorUserId=${adminId}`);
    const [read] = await trail('audit.read');
    expect(read?.details).toMatchObject({ actorUserId: adminId, action: 'user.create' });
    const created = await postLegalBasis(admin, {
      code: 'LVU 2',
      citation: 'Lag (1990:52) med särskilda bestämmelser om vård av unga, 2 §',
    });
    expect(created.status).toBe(201);
    const [added] = await trail('legal_basis.create');
    expect(added?.details).toMatchObject({
      id: created.body.id,
      code: 'LVU 2',
      citation: 'Lag (1990:52) med särskilda bestämmelser om vård av unga, 2 §',
      toAgencies: ['police'],
    });
  });

  it('shows which settings changed, from what to what', async () => {
    const before = (await admin.get<MunicipalityResponse>('/api/v1/municipality')).body.settings;
    const updated = await admin.patch('/api/v1/municipality/settings', {
      youthConsentAge: before.youthConsentAge + 1,
      meetingReminderMinutes: [30],
    });
    expect(updated.status).toBe(200);
    const [event] = await trail('municipality.settings_update');
    expect(event?.details).toEqual({
      changed: {
        youthConsentAge: { before: before.youthConsentAge, after: before.youthConsentAge + 1 },
        meetingReminderMinutes: { before: before.meetingReminderMinutes, after: [30] },
      },
    });
  });

  it('shows why a calendar feed address ended: its user, or the account disabled', async () => {
    const userId = await addStaff(admin, {
      email: 'kalender.revision@demo.test',
      displayName: 'Kalender Revision',
      roles: ['leisure_staff'],
      unitId: ids.unit('Fritidsgården Norra'),
    });
    const user = await app.as('kalender.revision@demo.test');
    expect((await user.post('/api/v1/me/calendar-feed')).status).toBe(201);
    expect((await user.delete('/api/v1/me/calendar-feed')).status).toBe(204);
    expect((await user.post('/api/v1/me/calendar-feed')).status).toBe(201);
    expect((await admin.post(`/api/v1/users/${userId}/disable`, {})).status).toBe(200);
    const events = (await trail('calendar_feed.revoke')).filter(
      (event) => event.recordId === userId,
    );
    expect(events.map((event) => [event.actorUserId, event.details])).toEqual([
      [await ids.userId('admin@demo.test'), { reason: 'account_disabled' }],
      [userId, null],
    ]);
  });

  it('shows no details of other actions, whose details may carry a case’s or a person’s data', async () => {
    const school = await app.as('skola@demo.test');
    const person = await personByNumber(school, '20110314-2384');
    expect((await school.patch(`/api/v1/people/${person.id}`, { school: 'Ekskolan' })).status).toBe(
      200,
    );
    // Recorded with the fields it changed.
    const stored = await app.running.dataSource.query<{ details: string | null }[]>(
      "SELECT details FROM audit_event WHERE action = 'person.update' AND record_id = $1",
      [person.id],
    );
    expect(stored.some((row) => row.details !== null)).toBe(true);
    const [update] = await trail('person.update', `&personId=${person.id}`);
    expect(update).toMatchObject({ action: 'person.update', details: null });
  });

  it('documents the field in the OpenAPI document', async () => {
    const document = await app.api.get<{
      components: { schemas: Record<string, { properties: Record<string, object> }> };
    }>('/api/docs-json');
    expect(document.body.components.schemas.AuditEventResponse!.properties.details).toMatchObject({
      type: 'object',
      nullable: true,
      description: expect.stringContaining('`user.roles_change`: `{ before, after }`'),
    });
  });

  it('audits sign-ins refused because the account is locked, once per lock', async () => {
    const email = 'last.konto@demo.test';
    const userId = await addStaff(admin, {
      email,
      displayName: 'Låst Konto',
      roles: ['school_staff'],
      unitId: ids.unit('Skolan Norra'),
    });
    const signIn = (password: string) => app.api.post('/api/v1/auth/login', { email, password });
    const lockAndFlood = async () => {
      for (let attempt = 0; attempt < 3; attempt++)
        expectProblem(await signIn(WRONG_PASSWORD), 401);
      for (let attempt = 0; attempt < 4; attempt++) {
        const refused = expectProblem(await signIn(attempt % 2 ? PASSWORD : WRONG_PASSWORD), 429);
        expect(refused.type).toMatch(/account-locked$/);
      }
    };
    const reasons = async () =>
      (await trail('auth.login_failed', `&actorUserId=${userId}`))
        .map((event) => event.reason)
        .reverse();

    await lockAndFlood();
    expect(await reasons()).toEqual([
      'invalid-credentials',
      'invalid-credentials',
      'invalid-credentials',
      'locked',
    ]);
    const [locked] = await trail('auth.login_failed', `&actorUserId=${userId}`);
    expect(locked).toMatchObject({ recordType: 'User', recordId: userId, reason: 'locked' });

    // A new lock (after an administrator unlocked the account) is audited anew, once again.
    expect((await admin.post(`/api/v1/users/${userId}/unlock`)).status).toBe(200);
    await lockAndFlood();
    expect((await reasons()).filter((reason) => reason === 'locked')).toHaveLength(2);
    expect(
      (await trail('auth.account_locked', `&actorUserId=${userId}`)).map((event) => event.recordId),
    ).toEqual([userId, userId]);
  });
});
