import type {
  AuditEventResponse,
  AuditVerifyResponse,
  Page,
  PersonResponse,
} from '@samverka/contracts';
import type { ApiClient } from '@samverka/testing';
import { AuditService, verifyAuditChains } from '@samverka/api';
import { DemoIds } from '../support/demo.js';
import { expectProblem } from '../support/expect.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the audit trail', () => {
  let app: TestApp;
  let school: ApiClient;
  let auditor: ApiClient;
  let elias: PersonResponse;

  beforeAll(async () => {
    app = await startTestApp();
    [school, auditor] = await Promise.all([app.as('skola@demo.test'), app.as('revisor@demo.test')]);
    elias = (
      await school.post<Page<PersonResponse>>('/api/v1/people/search', {
        identityNumber: '20110314-2384',
      })
    ).body.items[0]!;
  });
  afterAll(() => app.close());

  const trailFor = async (personId: string) =>
    (await auditor.get<Page<AuditEventResponse>>(`/api/v1/audit?personId=${personId}&limit=200`))
      .body.items;

  it('records every read of a person: who, when, what, from which unit, with the request id', async () => {
    const read = await school.request('GET', `/api/v1/people/${elias.id}`, undefined, {
      'x-request-id': 'audit-read-1',
    });
    expect(read.status).toBe(200);
    const me = (await school.get<{ user: { id: string }; unit: { id: string } }>('/api/v1/me'))
      .body;
    const event = (await trailFor(elias.id)).find((e) => e.requestId === 'audit-read-1');
    expect(event).toMatchObject({
      action: 'person.read',
      actorUserId: me.user.id,
      actorName: 'Karin Kurator',
      actorUnitId: me.unit.id,
      recordType: 'Person',
      recordId: elias.id,
      personId: elias.id,
    });
    expect(Date.now() - Date.parse(event!.occurredAt)).toBeLessThan(60_000);
  });

  it('records search hits and writes, in the same transaction as the change', async () => {
    await school.post('/api/v1/people/search', { name: 'Elias' });
    await school.patch(`/api/v1/people/${elias.id}`, { school: 'Nya skolan' });
    const actions = (await trailFor(elias.id)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['person.search_result', 'person.update']));
    // A refused write leaves no audit event and no change.
    const notAuditReads = async () =>
      (await trailFor(elias.id)).filter((event) => event.action !== 'audit.read');
    const before = await notAuditReads();
    expectProblem(
      await school.patch(`/api/v1/people/${elias.id}`, { identityNumber: '20120907-1248' }),
      409,
    );
    expect(await notAuditReads()).toEqual(before);
  });

  it('audits the auditor: reading the trail is itself an audited read', async () => {
    await auditor.get(`/api/v1/audit?personId=${elias.id}`);
    const events = await trailFor(elias.id);
    expect(events.some((event) => event.action === 'audit.read')).toBe(true);
  });

  it('shows auditors the reasons for access and sharing, not the case content in other reasons', async () => {
    const coordinator = await app.as('samordnare@demo.test');
    const areas = await coordinator.get<Page<{ id: string }>>('/api/v1/areas');
    const kase = await coordinator.post<{ id: string }>('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: areas.body.items[0]!.id,
    });
    const closed = await coordinator.patch(`/api/v1/cases/${kase.body.id}`, {
      status: 'closed',
      reason: 'Familjen tackade nej till stöd',
    });
    expect(closed.status).toBe(200);
    const admin = await app.as('admin@demo.test');
    const users = await admin.get<Page<{ id: string; email: string }>>('/api/v1/users?limit=200');
    const social = users.body.items.find((user) => user.email === 'socialsekreterare@demo.test')!;
    const granted = await admin.post(`/api/v1/people/${elias.id}/clearances`, {
      userId: social.id,
      reason: 'Handlägger ärendet',
    });
    expect(granted.status).toBe(201);
    const events = await trailFor(elias.id);
    const update = events.find(
      (event) => event.action === 'case.update' && event.recordId === kase.body.id,
    );
    expect(update).toMatchObject({ reason: null });
    expect(JSON.stringify(events)).not.toContain('tackade nej');
    expect(events.find((event) => event.action === 'person.clearance_grant')).toMatchObject({
      reason: 'Handlägger ärendet',
    });
  });

  it('is for auditors only', async () => {
    expectProblem(await school.get(`/api/v1/audit?personId=${elias.id}`), 403);
    expectProblem(await (await app.as('admin@demo.test')).get('/api/v1/audit/verify'), 403);
  });

  it('cannot be changed or deleted by the app’s database role', async () => {
    const dataSource = app.running.dataSource;
    await expect(dataSource.query("UPDATE audit_event SET action = 'forged'")).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    await expect(dataSource.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    const [{ count }] = await dataSource.query<[{ count: number }]>(
      "SELECT count(*)::int AS count FROM audit_event WHERE action = 'forged'",
    );
    expect(count).toBe(0);
  });

  it('appends reads to chains without a lock: a chain another replica moved meanwhile is left, nothing lost', async () => {
    const { dataSource, config } = app.running;
    const coordinator = await app.as('samordnare@demo.test');
    const ids = await DemoIds.load(await app.as('admin@demo.test'));
    const opened = await coordinator.post('/api/v1/cases', {
      kind: 'sspf',
      personId: elias.id,
      areaId: ids.areaNorra,
    });
    expect(opened.status).toBe(201);
    const readBy = async (requestId: string) => {
      const read = await coordinator.request('GET', '/api/v1/cases?limit=1', undefined, {
        'x-request-id': requestId,
      });
      expect(read.status).toBe(200);
      const [event] = await dataSource.query<
        { municipality_id: string; shard: number; seq: string }[]
      >('SELECT municipality_id, shard, seq FROM audit_event WHERE request_id = $1', [requestId]);
      return event!;
    };
    const first = await readBy('audit-chain-1');
    expect(first.shard).toBeGreaterThanOrEqual(1024); // a read chain, not one changes lock

    // Another replica (its own AuditService) appends to the same chain, from the stored head.
    const otherReplica = new AuditService(config, dataSource);
    const [head] = await dataSource.query<{ shard: number; seq: string; head_hash: string }[]>(
      'SELECT shard, seq, head_hash FROM audit_chain WHERE municipality_id = $1 AND shard = $2',
      [first.municipality_id, first.shard],
    );
    const origin = {
      municipalityId: first.municipality_id,
      actorUserId: null,
      actorUnitId: null,
      requestId: 'audit-chain-other',
    };
    expect(
      await otherReplica['write'](dataSource.manager, first.municipality_id, head!, [
        { origin, entry: { action: 'person.read', recordType: 'Person', personId: elias.id } },
      ]),
    ).toBe(true);

    // This replica's head of that chain is stale now: its next read goes in all the same.
    const second = await readBy('audit-chain-2');
    const [other] = await dataSource.query<{ seq: string }[]>(
      'SELECT seq FROM audit_event WHERE request_id = $1',
      ['audit-chain-other'],
    );
    expect(other).toBeDefined();
    if (second.shard === first.shard)
      expect(BigInt(second.seq)).toBeGreaterThan(BigInt(other!.seq));
    expect(await verifyAuditChains(dataSource)).toMatchObject({ ok: true, firstBrokenLink: null });

    // A restore (or a failover) loses this replica's last append, and another replica reaches
    // the same seq with another event: the same seq, another hash. Nothing may chain onto the
    // lost event's hash.
    const third = await readBy('audit-chain-3');
    await dataSource.transaction(async (manager) => {
      const [lost] = await manager.query<{ prev_hash: string }[]>(
        'SELECT prev_hash FROM audit_event WHERE request_id = $1',
        ['audit-chain-3'],
      );
      await manager.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
      await manager.query("DELETE FROM audit_event WHERE request_id = 'audit-chain-3'");
      await manager.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
      await manager.query(
        'UPDATE audit_chain SET seq = seq - 1, head_hash = $3 WHERE municipality_id = $1 AND shard = $2',
        [third.municipality_id, third.shard, lost!.prev_hash],
      );
    });
    const [restored] = await dataSource.query<{ shard: number; seq: string; head_hash: string }[]>(
      'SELECT shard, seq, head_hash FROM audit_chain WHERE municipality_id = $1 AND shard = $2',
      [third.municipality_id, third.shard],
    );
    expect(
      await otherReplica['write'](dataSource.manager, third.municipality_id, restored!, [
        { origin, entry: { action: 'person.read', recordType: 'Person', personId: elias.id } },
      ]),
    ).toBe(true);
    await readBy('audit-chain-4');
    expect(await verifyAuditChains(dataSource)).toMatchObject({ ok: true, firstBrokenLink: null });
  });

  it('a read append that fails for one municipality fails only its requests, and appends the others once', async () => {
    const { dataSource } = app.running;
    const audit = app.running.app.get(AuditService);
    const municipalities = await dataSource.query<{ id: string }[]>(
      'SELECT id FROM municipality ORDER BY name LIMIT 2',
    );
    expect(municipalities).toHaveLength(2);
    const [home, other] = municipalities.map((m) => m.id);
    const read = (municipalityId: string, requestId: string, personId: string) =>
      audit.recordAccess(
        dataSource.manager,
        { municipalityId, actorUserId: null, actorUnitId: null, requestId },
        [{ action: 'person.read', recordType: 'Person', personId }],
      );
    // Two go out at once (two batches in flight); the next two queue and go out together.
    const results = await Promise.allSettled([
      read(home!, 'audit-split-1', elias.id),
      read(home!, 'audit-split-2', elias.id),
      read(home!, 'audit-split-good', elias.id),
      read(other!, 'audit-split-bad', 'not-a-uuid'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    const counts = await dataSource.query<{ request_id: string; n: number }[]>(
      `SELECT request_id, count(*)::int AS n FROM audit_event WHERE request_id LIKE 'audit-split-%'
       GROUP BY request_id ORDER BY request_id`,
    );
    expect(counts).toEqual([
      { request_id: 'audit-split-1', n: 1 },
      { request_id: 'audit-split-2', n: 1 },
      { request_id: 'audit-split-good', n: 1 },
    ]);
    expect(await verifyAuditChains(dataSource)).toMatchObject({ ok: true });
  });

  it('verifies the hash chains, and finds the first broken link after tampering', async () => {
    // An id sent in upper case is stored in lower case; it hashes as stored, so the chain holds.
    expect((await school.get(`/api/v1/people/${elias.id.toUpperCase()}`)).status).toBe(200);
    const intact = await auditor.get<AuditVerifyResponse>('/api/v1/audit/verify');
    expect(intact.body).toMatchObject({ ok: true, firstBrokenLink: null, brokenLinks: [] });
    expect(intact.body.eventsChecked).toBeGreaterThan(5);

    // A database administrator (table owner) bypasses the trigger and rewrites history.
    const dataSource = app.running.dataSource;
    const [victim] = await dataSource.query<{ id: string; shard: number; seq: string }[]>(
      `SELECT id, shard, seq FROM audit_event WHERE person_id = $1 AND action = 'person.read' ORDER BY occurred_at LIMIT 1`,
      [elias.id],
    );
    await dataSource.transaction(async (manager) => {
      await manager.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
      await manager.query("UPDATE audit_event SET action = 'person.nothing_to_see' WHERE id = $1", [
        victim!.id,
      ]);
      await manager.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
    });
    const broken = await auditor.get<AuditVerifyResponse>('/api/v1/audit/verify');
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBrokenLink).toMatchObject({
      eventId: victim!.id,
      seq: Number(victim!.seq),
      reason: 'the event was changed after it was written',
    });
    expect(broken.body.firstBrokenLink!.chain).toMatch(new RegExp(`/${victim!.shard}$`));
    // Every chain is still checked, and only the tampered one is reported.
    expect(broken.body.chainsChecked).toBeGreaterThanOrEqual(intact.body.chainsChecked);
    expect(broken.body.brokenLinks).toEqual([broken.body.firstBrokenLink]);
    // The command-line check (npm run audit:verify) uses the same verifier.
    const all = await verifyAuditChains(dataSource);
    expect(all.firstBrokenLink?.eventId).toBe(victim!.id);
  });
});
