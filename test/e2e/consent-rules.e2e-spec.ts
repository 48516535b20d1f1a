import type {
  AuditEventResponse,
  CaseResponse,
  ConsentResponse,
  EntryResponse,
  Page,
  PersonResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { randomUUID } from 'node:crypto';
import { DemoIds } from '../support/demo.js';
import { bornYearsAgo, recordConsent, registerPerson } from '../support/people.js';
import { expectProblem, reasonsFor } from '../support/expect.js';
import { postLegalBasis } from '../support/catalog.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Consent, cases and disclosures: rules found by black-box probes. */
describe('consent rules', () => {
  let app: TestApp;
  let socialWorker: ApiClient;
  let school: ApiClient;
  let ids: DemoIds;

  beforeAll(async () => {
    app = await startTestApp();
    [socialWorker, school] = await Promise.all([
      app.as('socialsekreterare@demo.test'),
      app.as('skola@demo.test'),
    ]);
    ids = await DemoIds.load(await app.as('admin@demo.test'));
  });
  afterAll(() => app.close());

  const register = (
    client: ApiClient,
    birthDate: string,
    serial: string,
    givenName: string,
    familyName: string,
    extra: Record<string, unknown> = {},
  ) => registerPerson(client, { birthDate, serial, givenName, familyName, ...extra });

  /** Records, as `client`, a written consent of `parties` in case `caseId`, valid this year. */
  const consentIn = (
    client: ApiClient,
    caseId: string,
    parties: string[],
    scope: { agencies: string[]; categories: string[] },
  ) => recordConsent(client, caseId, parties, { scope });

  describe('revocation recorded by a member not cleared for a protected young person', () => {
    let lena: PersonResponse;
    let gustav: PersonResponse;
    let maja: PersonResponse;
    let caseId: string;

    beforeAll(async () => {
      lena = await register(socialWorker, '1985-02-02', '731', 'Lena', 'Lind');
      gustav = await register(socialWorker, '1983-03-03', '742', 'Gustav', 'Lind');
      maja = await register(socialWorker, bornYearsAgo(14), '753', 'Maja', 'Lind', {
        protectionLevel: 'flagged',
        guardians: [
          { personId: lena.id, custody: true },
          { personId: gustav.id, custody: true },
        ],
      });
      const kase = await socialWorker.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: maja.id,
        areaId: ids.areaNorra,
        responsibleUserId: await ids.userId('sig@demo.test'),
        memberUserIds: [await ids.userId('skola@demo.test'), await ids.userId('polis@demo.test')],
      });
      expect(kase.status).toBe(201);
      caseId = kase.body.id;
    });

    it('stops the sharing at once, without the member learning who the party is', async () => {
      const recorded = await consentIn(socialWorker, caseId, [lena.id, gustav.id], {
        agencies: ['school'],
        categories: ['general'],
      });
      expect(recorded.body.inForce).toBe(true);
      const consentId = recorded.body.id;
      const entry = await socialWorker.post<EntryResponse>(`/api/v1/cases/${caseId}/entries`, {
        category: 'general',
        body: 'Maja har fått stöd av socialtjänsten',
      });
      expect(entry.status).toBe(201);
      const disclosed = await socialWorker.post(`/api/v1/entries/${entry.body.id}/disclosures`, {
        receivers: [{ agency: 'school' }],
        basis: 'consent',
        consentId,
        reason: 'Inför nätverksmöte',
      });
      expect(disclosed.status).toBe(201);
      expect((await school.get(`/api/v1/entries/${entry.body.id}`)).status).toBe(200);

      const seen = await school.get<ConsentResponse>(`/api/v1/consents/${consentId}`);
      expect(seen.body.parties.every((party) => party.personId === null)).toBe(true);
      // Naming a party is refused alike whoever is named: it tells no guardian from anyone else.
      const naming = async (personId: string) => {
        const problem = expectProblem(
          await school.post(`/api/v1/consents/${consentId}/revoke`, { partyPersonId: personId }),
          403,
        );
        return problem.detail;
      };
      expect(await naming(lena.id)).toBe(await naming(maja.id));
      expect(await naming(lena.id)).toMatch(/without partyPersonId/);

      const revoked = await school.post<ConsentResponse>(`/api/v1/consents/${consentId}/revoke`, {
        reason: 'Mamman ringde skolan och drog tillbaka samtycket',
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        inForce: false,
        revokedByPersonId: null,
        revokeRecordedBy: await ids.userId('skola@demo.test'),
        revokedAt: expect.any(String),
      });
      expect(revoked.body.notInForceReasons).toEqual([
        expect.stringMatching(/^revoked on .* by a party$/),
      ]);
      expect(JSON.stringify(revoked.body)).not.toContain(lena.id);
      // The recipient loses access at once.
      expectProblem(await school.get(`/api/v1/entries/${entry.body.id}`), 404);
      // The cleared see it revoked, by a party, recorded by the school.
      const cleared = await socialWorker.get<ConsentResponse>(`/api/v1/consents/${consentId}`);
      expect(cleared.body).toMatchObject({ inForce: false, revokedByPersonId: null });
      // Audited and announced as any revocation.
      const [audited] = await app.running.dataSource.query<{ details: string | null }[]>(
        "SELECT details FROM audit_event WHERE action = 'consent.revoke' AND record_id = $1",
        [consentId],
      );
      expect(audited).toBeDefined();
      const [event] = await app.running.dataSource.query<{ payload: { notify: string[] } }[]>(
        "SELECT payload FROM outbox_event WHERE type = 'consent.revoked' AND payload->>'consentId' = $1",
        [consentId],
      );
      expect(event?.payload.notify).toContain(await ids.userId('skola@demo.test'));
      expectProblem(await school.post(`/api/v1/consents/${consentId}/revoke`, {}), 409);
    });

    it('lets a member to whom a protected guardian is masked record that a party withdrew', async () => {
      const hidden = await register(socialWorker, '1979-09-09', '818', 'Hedvig', 'Holm', {
        protectionLevel: 'flagged',
      });
      const child = await register(socialWorker, bornYearsAgo(11), '829', 'Hugo', 'Holm', {
        guardians: [{ personId: hidden.id, custody: true }],
      });
      const kase = await socialWorker.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: child.id,
        areaId: ids.areaNorra,
        responsibleUserId: await ids.userId('sig@demo.test'),
        memberUserIds: [await ids.userId('skola@demo.test')],
      });
      expect(kase.status).toBe(201);
      const recorded = await consentIn(socialWorker, kase.body.id, [hidden.id], {
        agencies: ['school'],
        categories: ['general'],
      });
      expect(recorded.body.inForce).toBe(true);
      const seen = await school.get<ConsentResponse>(`/api/v1/consents/${recorded.body.id}`);
      expect(seen.body.parties.map((party) => party.personId)).toEqual([null]);
      // Named by an id learnt elsewhere, she gets the answer a stranger gets (found by a
      // black-box probe: a 200 told the school that id was the child's protected guardian),
      // and the attempt is in her trail.
      const refusal = async (personId: string) => {
        const refused = expectProblem(
          await school.post(`/api/v1/consents/${recorded.body.id}/revoke`, {
            partyPersonId: personId,
          }),
          400,
        );
        return reasonsFor(refused, 'partyPersonId').map((reason) => reason.replace(personId, 'ID'));
      };
      expect(await refusal(hidden.id)).toEqual(await refusal(randomUUID()));
      const trail = await (
        await app.as('revisor@demo.test')
      ).get<Page<AuditEventResponse>>(`/api/v1/audit?personId=${hidden.id}&limit=200`);
      expect(
        trail.body.items
          .filter((event) => event.action === 'person.named_in_refused_text')
          .map((event) => [event.actorUserId, event.details]),
      ).toEqual([[await ids.userId('skola@demo.test'), { fields: ['partyPersonId'] }]]);
      const revoked = await school.post<ConsentResponse>(
        `/api/v1/consents/${recorded.body.id}/revoke`,
        {},
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ inForce: false, revokedByPersonId: null });
    });

    it('still asks the cleared to name the party', async () => {
      const recorded = await consentIn(socialWorker, caseId, [lena.id, gustav.id], {
        agencies: ['school'],
        categories: ['school_attendance'],
      });
      expect(recorded.body.inForce).toBe(true);
      const unnamed = expectProblem(
        await socialWorker.post(`/api/v1/consents/${recorded.body.id}/revoke`, {}),
        400,
      );
      expect(reasonsFor(unnamed, 'partyPersonId')[0]).toMatch(/name the party/);
      const named = await socialWorker.post<ConsentResponse>(
        `/api/v1/consents/${recorded.body.id}/revoke`,
        { partyPersonId: gustav.id },
      );
      expect(named.body).toMatchObject({ inForce: false, revokedByPersonId: gustav.id });
    });
  });
  describe('case moves without a consent in force', () => {
    let coordinator: ApiClient;
    let caseId: string;
    const path = () => `/api/v1/cases/${caseId}`;
    const history = async () =>
      (
        await app.running.dataSource.query<{ count: number }[]>(
          'SELECT count(*)::int AS count FROM case_status_change WHERE case_id = $1',
          [caseId],
        )
      )[0]!.count;

    beforeAll(async () => {
      coordinator = await app.as('samordnare@demo.test');
      const guardian = await register(coordinator, '1980-05-05', '764', 'Vera', 'Viklund');
      const young = await register(coordinator, bornYearsAgo(12), '775', 'Vide', 'Viklund', {
        guardians: [{ personId: guardian.id, custody: true }],
      });
      const kase = await coordinator.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: young.id,
        areaId: ids.areaNorra,
        participatingUnitIds: [ids.unit('Skolan Norra')],
      });
      expect(kase.status).toBe(201);
      caseId = kase.body.id;
      for (const status of ['screening', 'consent_pending']) {
        expect((await coordinator.patch(path(), { status })).status).toBe(200);
      }
      const consent = await consentIn(coordinator, caseId, [guardian.id], {
        agencies: ['school'],
        categories: ['general'],
      });
      expect(consent.body.inForce).toBe(true);
      for (const status of ['consented', 'mapping']) {
        expect((await coordinator.patch(path(), { status })).status).toBe(200);
      }
      const revoked = await coordinator.post(`/api/v1/consents/${consent.body.id}/revoke`, {
        partyPersonId: guardian.id,
      });
      expect(revoked.status).toBe(200);
    });

    it('names only the moves that would go through: closing, here not escalating', async () => {
      const before = await history();
      const needsConsent = expectProblem(
        await coordinator.patch(path(), { status: 'network_meeting' }),
        409,
      );
      expect(needsConsent.type).toMatch(/consent-required$/);
      expect(needsConsent.detail).toMatch(/close the case/);
      expect(needsConsent.detail).not.toMatch(/escalat/);
      const escalate = expectProblem(await coordinator.patch(path(), { status: 'escalated' }), 409);
      expect(escalate.type).toMatch(/invalid-transition$/);
      expect(escalate.detail).toMatch(
        /cannot go from mapping to escalated; allowed: closed \(network_meeting once a consent of the case is in force; none is\)/,
      );
      expect(escalate.detail).not.toMatch(/allowed: network_meeting/);
      expect(await history()).toBe(before);
      expect((await coordinator.get<CaseResponse>(path())).body.status).toBe('mapping');
    });

    it('takes a reason only with a move, and a move to the current status is no move', async () => {
      const before = await history();
      const { updatedAt } = (await coordinator.get<CaseResponse>(path())).body;
      const alone = expectProblem(
        await coordinator.patch(path(), { reason: 'Bara en kommentar' }),
        400,
      );
      expect(reasonsFor(alone, 'reason')[0]).toMatch(/with a move/);
      const same = expectProblem(
        await coordinator.patch(path(), { status: 'mapping', reason: 'igen' }),
        409,
      );
      expect(same.type).toMatch(/invalid-transition$/);
      expect(same.detail).toMatch(/cannot go from mapping to mapping; allowed: closed/);
      expect(await history()).toBe(before);
      expect((await coordinator.get<CaseResponse>(path())).body).toMatchObject({
        status: 'mapping',
        updatedAt,
      });
    });
  });
  describe('statutory disclosures', () => {
    /** A case by the social worker about `young`, with the school as a member. */
    const caseWithSchool = async (young: PersonResponse) => {
      const kase = await socialWorker.post<CaseResponse>('/api/v1/cases', {
        kind: 'sspf',
        personId: young.id,
        areaId: ids.areaNorra,
        responsibleUserId: await ids.userId('sig@demo.test'),
        memberUserIds: [await ids.userId('skola@demo.test')],
      });
      expect(kase.status).toBe(201);
      return kase.body.id;
    };
    const entryIn = async (client: ApiClient, caseId: string, category: string) => {
      const entry = await client.post<EntryResponse>(`/api/v1/cases/${caseId}/entries`, {
        category,
        body: 'Oro kring skolfrånvaro och nya kontakter',
      });
      expect(entry.status).toBe(201);
      return entry.body.id;
    };

    it('finds a legal basis code whatever its case or spacing, as the catalogue does', async () => {
      const admin = await app.as('admin@demo.test');
      // The same code however cased or spaced is taken already.
      for (const code of ['osl 10:18 A', 'OSL 10:18a']) {
        const taken = expectProblem(await postLegalBasis(admin, { code }), 409);
        expect({ code, detail: taken.detail }).toEqual({
          code,
          detail: expect.stringMatching(/OSL 10:18 a already exists/),
        });
      }
      // `consent` is the other kind of basis: no statutory code reads as it.
      const consentCode = expectProblem(await postLegalBasis(admin, { code: 'Consent' }), 400);
      expect(reasonsFor(consentCode, 'code')).toHaveLength(1);
      const young = await register(socialWorker, bornYearsAgo(15), '786', 'Sam', 'Sund');
      const entryId = await entryIn(socialWorker, await caseWithSchool(young), 'general');
      for (const code of ['osl 10:18 A', ' OSL  10:18 a ', 'OSL 10:18a', 'osl10:18A']) {
        const disclosed = await socialWorker.post<{ legalBasisCode: string }[]>(
          `/api/v1/entries/${entryId}/disclosures`,
          {
            receivers: [{ agency: 'police' }],
            basis: 'statutory',
            legalBasisCode: code,
            harmAssessment: 'Uppgiften kan förhindra brott och skadar inga insatser',
            reason: 'Risk för brott',
          },
        );
        expect({ code, status: disclosed.status }).toEqual({ code, status: 201 });
        expect(disclosed.body[0]!.legalBasisCode).toBe('OSL 10:18 a');
      }
      const unknown = expectProblem(
        await socialWorker.post(`/api/v1/entries/${entryId}/disclosures`, {
          receivers: [{ agency: 'police' }],
          basis: 'statutory',
          legalBasisCode: 'OSL 10:18 b',
          harmAssessment: 'Uppgiften kan förhindra brott och skadar inga insatser',
          reason: 'Risk för brott',
        }),
        400,
      );
      expect(reasonsFor(unknown, 'legalBasisCode')[0]).toMatch(/not in your municipality/);
    });

    it('refuses a basis outside its age limit without telling the age to whom it is hidden', async () => {
      const ove = await register(socialWorker, '2007-01-01', '797', 'Ove', 'Okänd', {
        protectionLevel: 'protected_registration',
      });
      const caseId = await caseWithSchool(ove);
      const seen = await school.get<CaseResponse>(`/api/v1/cases/${caseId}`);
      expect(seen.body.person).toMatchObject({ masked: true, birthDate: null });
      const entryId = await entryIn(school, caseId, 'school_attendance');
      const refused = expectProblem(
        await school.post(`/api/v1/entries/${entryId}/disclosures`, {
          receivers: [{ agency: 'social_services' }],
          basis: 'statutory',
          legalBasisCode: 'SoL 14:1',
          reason: 'Oro för eleven',
        }),
        409,
      );
      expect(refused.type).toMatch(/basis-not-applicable$/);
      expect(refused.detail).toBe("SoL 14:1's age condition does not hold for this young person");
      expect(refused.detail).not.toMatch(/18|older/);
    });
  });
});
