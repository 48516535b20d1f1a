import type {
  AuditEventResponse,
  ClearanceResponse,
  NotificationResponse,
  Page,
  PersonResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { connectSocket, eventually, record } from '../support/sockets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PROTECTED = '20100621-4827';
const ELIAS = '20110314-2384';
const REASON = 'Akut skyddsbedömning: behöver nå vårdnadshavare i kväll';

/** Emergency access (nödåtkomst) to a protected identity: a reason, an end, an alert. */
describe('emergency access to a protected identity', () => {
  let app: TestApp;
  let school: ApiClient;
  let caseHolder: ApiClient;
  let admin: ApiClient;
  let auditor: ApiClient;
  let protectedId: string;
  let eliasId: string;
  let schoolUserId: string;

  const find = async (client: ApiClient, identityNumber: string) =>
    (await client.post<Page<PersonResponse>>('/api/v1/people/search', { identityNumber })).body
      .items[0];
  const person = async (client: ApiClient) =>
    (await client.get<PersonResponse>(`/api/v1/people/${protectedId}`)).body;
  const emergency = (client: ApiClient, body: unknown, id = protectedId) =>
    client.post<ClearanceResponse>(`/api/v1/people/${id}/emergency-access`, body);
  const clearances = async () =>
    (await admin.get<Page<ClearanceResponse>>(`/api/v1/people/${protectedId}/clearances`)).body
      .items;

  beforeAll(async () => {
    app = await startTestApp();
    [school, caseHolder, admin, auditor] = await Promise.all([
      app.as('skola@demo.test'),
      app.as('sig@demo.test'),
      app.as('admin@demo.test'),
      app.as('revisor@demo.test'),
    ]);
    const [user] = await app.running.dataSource.query<{ id: string }[]>(
      'SELECT id FROM app_user WHERE email = $1',
      ['skola@demo.test'],
    );
    schoolUserId = user!.id;
    eliasId = (await find(school, ELIAS))!.id;
    const [row] = await app.running.dataSource.query<{ id: string }[]>(
      "SELECT id FROM person WHERE protection_level <> 'none' AND given_name = 'Alva'",
    );
    protectedId = row!.id;
  });
  afterAll(() => app.close());

  it('refuses bad requests, and those who may not read the person, changing nothing', async () => {
    expect((await person(school)).masked).toBe(true);
    expect(reasonsFor(expectProblem(await emergency(school, {}), 400), 'reason')).toHaveLength(1);
    expect(
      reasonsFor(expectProblem(await emergency(school, { reason: 'akut' }), 400), 'reason'),
    ).toHaveLength(1);
    expect(
      reasonsFor(
        expectProblem(await emergency(school, { reason: `Behöver nå ${PROTECTED} genast` }), 400),
        'reason',
      ),
    ).toEqual(['reason must not contain an identity number']);
    expect(
      reasonsFor(
        expectProblem(await emergency(school, { reason: REASON, minutes: 481 }), 400),
        'minutes',
      ),
    ).toHaveLength(1);
    expect(
      reasonsFor(
        expectProblem(await emergency(school, { reason: REASON, minutes: 4 }), 400),
        'minutes',
      ),
    ).toHaveLength(1);
    expectProblem(await emergency(admin, { reason: REASON }), 403);
    expectProblem(await emergency(auditor, { reason: REASON }), 403);
    expectProblem(
      await emergency(school, { reason: REASON }, '00000000-0000-4000-8000-000000000000'),
      404,
    );
    expect(expectProblem(await emergency(school, { reason: REASON }, eliasId), 409).type).toMatch(
      /not-protected$/,
    );
    expect((await person(school)).masked).toBe(true);
    expect(await find(school, PROTECTED)).toBeUndefined();
    expect((await clearances()).map((c) => c.userId)).not.toContain(schoolUserId);
    const [count] = await app.running.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM audit_event WHERE action = 'person.emergency_access'",
    );
    expect(count!.n).toBe(0);
  });

  it('shows the person for the time asked, audited with its reason, and alerts the auditors live', async () => {
    const socket = await connectSocket(app.api.baseUrl, auditor.token);
    const alerts = record(socket, 'notification.created');
    try {
      const before = Date.now();
      const granted = await emergency(school, { reason: `  ${REASON} `, minutes: 30 });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({
        personId: protectedId,
        userId: schoolUserId,
        grantedBy: schoolUserId,
        reason: REASON,
      });
      const ends = Date.parse(granted.body.expiresAt!);
      expect(ends - before).toBeGreaterThan(29 * 60_000);
      expect(ends - before).toBeLessThan(31 * 60_000);

      // At once, in every output: the person, the search.
      expect(await person(school)).toMatchObject({
        givenName: 'Alva',
        familyName: 'Lind',
        masked: false,
      });
      expect((await find(school, PROTECTED))?.id).toBe(protectedId);
      // Only for the one who asked (the social services' case holder is not cleared).
      expect((await caseHolder.get<PersonResponse>(`/api/v1/people/${protectedId}`)).body).toEqual(
        expect.objectContaining({ masked: true }),
      );
      expect(await clearances()).toContainEqual(
        expect.objectContaining({ userId: schoolUserId, expiresAt: granted.body.expiresAt }),
      );

      // The alert: to the auditors, live and in their list, with ids only.
      await eventually(
        () => alerts.some((alert) => alert.kind === 'person.emergency_access'),
        5_000,
        'the live alert',
      );
      const list = await auditor.get<Page<NotificationResponse>>('/api/v1/me/notifications');
      const alert = list.body.items.find((item) => item.kind === 'person.emergency_access');
      expect(alert).toMatchObject({
        recordType: 'Person',
        recordId: protectedId,
        details: { userId: schoolUserId, expiresAt: granted.body.expiresAt },
      });
      expect(JSON.stringify(alert)).not.toMatch(/Alva|Lind|4827/);
      expect(
        (await school.get<Page<NotificationResponse>>('/api/v1/me/notifications')).body.items.some(
          (item) => item.kind === 'person.emergency_access',
        ),
      ).toBe(false);

      // The trail: the access with its reason, and the reads made under it.
      const trail = (
        await auditor.get<Page<AuditEventResponse>>(
          `/api/v1/audit?personId=${protectedId}&limit=100`,
        )
      ).body.items;
      expect(trail).toContainEqual(
        expect.objectContaining({
          action: 'person.emergency_access',
          actorUserId: schoolUserId,
          reason: REASON,
          details: { minutes: 30, expiresAt: granted.body.expiresAt },
        }),
      );
      expect(
        trail.filter(
          (event) => event.action === 'person.read' && event.actorUserId === schoolUserId,
        ).length,
      ).toBeGreaterThanOrEqual(2);
    } finally {
      socket.close();
    }
  });

  it('ends by itself, and may be asked for again', async () => {
    // Shorten the access granted above to a moment from now (the clearance is read afresh on
    // the next request, as after any change), then let it pass.
    await app.running.dataSource.query(
      `UPDATE person_clearance SET expires_at = now() + interval '1500 milliseconds'
       WHERE person_id = $1 AND user_id = $2`,
      [protectedId, schoolUserId],
    );
    await app.running.dataSource.query(
      'UPDATE app_user SET authz_version = authz_version + 1 WHERE id = $1',
      [schoolUserId],
    );
    expect((await person(school)).masked).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect((await person(school)).masked).toBe(true);
    expect(await find(school, PROTECTED)).toBeUndefined();
    expect((await clearances()).map((c) => c.userId)).not.toContain(schoolUserId);
    expectProblem(
      await admin.delete(`/api/v1/people/${protectedId}/clearances/${schoolUserId}`),
      404,
    );

    const again = await emergency(school, { reason: 'Ny akut situation, polisen på plats' });
    expect(again.status).toBe(201);
    expect(Date.parse(again.body.expiresAt!) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await person(school)).masked).toBe(false);
  });

  it('lets one on emergency access see the person, not change them, and audits what they read as on emergency access', async () => {
    if ((await person(school)).masked)
      expect((await emergency(school, { reason: REASON })).status).toBe(201);
    expect((await person(school)).masked).toBe(false);
    // Lifting the protection (for everyone, and for good), or any other change, needs a clearance
    // for good: refused, nothing changed, and no clearance gained by protecting them again.
    for (const change of [{ protectionLevel: 'none' }, { address: 'Nya vägen 1' }]) {
      expectProblem(await school.patch(`/api/v1/people/${protectedId}`, change), 403);
    }
    const [row] = await app.running.dataSource.query<
      { protection_level: string; address: string | null }[]
    >('SELECT protection_level, address FROM person WHERE id = $1', [protectedId]);
    expect(row!.protection_level).not.toBe('none');
    expect(row!.address).not.toBe('Nya vägen 1');
    const own = (await clearances()).find((clearance) => clearance.userId === schoolUserId);
    expect(own?.expiresAt).toEqual(expect.any(String)); // still for a while only

    // Each read of the person on emergency access is audited as such (nödåtkomst).
    await person(school);
    const reads = (
      await auditor.get<Page<AuditEventResponse>>(
        `/api/v1/audit?personId=${protectedId}&action=person.read&actorUserId=${schoolUserId}&limit=200`,
      )
    ).body.items;
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]!.legalBasis).toBe('nödåtkomst');
  });

  it('audits the clearance of whoever registers or protects a person, as any clearance', async () => {
    const created = await school.post<PersonResponse>('/api/v1/people', {
      identityNumber: '20120405-1237',
      givenName: 'Lisa',
      familyName: 'Lindqvist',
      protectionLevel: 'flagged',
    });
    expect(created.status).toBe(201);
    const trail = (
      await auditor.get<Page<AuditEventResponse>>(`/api/v1/audit?personId=${created.body.id}`)
    ).body.items;
    expect(trail).toContainEqual(
      expect.objectContaining({
        action: 'person.clearance_grant',
        actorUserId: schoolUserId,
        reason: 'registered or protected the person',
        details: { userId: schoolUserId },
      }),
    );
  });

  it('becomes a clearance for good when an administrator grants one; then it is not needed', async () => {
    const granted = await admin.post<ClearanceResponse>(
      `/api/v1/people/${protectedId}/clearances`,
      { userId: schoolUserId, reason: 'Mentor för eleven' },
    );
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ reason: 'Mentor för eleven', expiresAt: null });
    expect(expectProblem(await emergency(school, { reason: REASON }), 409).type).toMatch(
      /already-cleared$/,
    );
    expect((await person(school)).masked).toBe(false);
  });
});
