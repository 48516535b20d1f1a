import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AppAbility } from '@samverka/authz';
import {
  ROLE_AGENCY,
  RESPONSIBLE_ROLES,
  STAFF_ROLES,
  type AgencyType,
  type CreateUserRequest,
  type MeResponse,
  type Page,
  type Role,
  type UserResponse,
} from '@samverka/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { LoginThrottleService } from '../auth/login-throttle.service.js';
import { hashPassword } from '../auth/passwords.js';
import { SessionService } from '../auth/session.service.js';
import type { Actor } from '../common/actor.js';
import { decodeCursor, pageSize, toPage } from '../common/pagination.js';
import { badRequest, conflict, fieldError, forbidden, notFound } from '../common/problems.js';
import { SqlParams } from '../common/sql-params.js';
import { endCalendarFeed } from '../meetings/calendar.service.js';
import { OutboxService } from '../outbox/outbox.service.js';

interface UserRow {
  id: string;
  municipality_id: string;
  email: string;
  display_name: string;
  roles: Role[];
  unit_id: string;
  status: UserResponse['status'];
  locked_until: Date | null;
  created_at: Date;
  area_ids: string[];
}

const USER_COLUMNS = `u.id, u.municipality_id, u.email, u.display_name, u.roles, u.unit_id, u.status, u.locked_until, u.created_at,
  ARRAY(SELECT un.area_id::text FROM unit un WHERE un.id = u.unit_id
        UNION SELECT ua.area_id::text FROM user_area ua WHERE ua.user_id = u.id) AS area_ids`;

function present(row: UserRow): UserResponse {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    unitId: row.unit_id,
    areaIds: row.area_ids,
    status: row.status,
    lockedUntil:
      row.locked_until && row.locked_until > new Date() ? row.locked_until.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * A role belongs to an agency (a police liaison to the police): every role of an account must be
 * one of its unit's agency, or one of any agency (coordinator, auditor, administrator). A 400
 * naming `roles` otherwise: a school account with a police role could post police notices.
 */
function checkRolesFit(roles: Role[], agency: AgencyType): void {
  const misfits = roles.filter(
    (role) => ROLE_AGENCY[role] !== null && !ROLE_AGENCY[role].includes(agency),
  );
  if (misfits.length > 0) {
    throw badRequest(`roles: ${misfits.join(', ')} cannot be held at a unit of ${agency}`, [
      {
        field: 'roles',
        reasons: misfits.map(
          (role) =>
            `${role} belongs to ${ROLE_AGENCY[role]!.join(' or ')}, and the user's unit is of ${agency}`,
        ),
      },
    ]);
  }
}

/**
 * An auditor reviews everyone's access, their own included: the role is held alone, or an
 * auditor who is also staff or an administrator would review the access they gave or used
 * themselves. A 400 naming `roles` otherwise.
 */
function checkAuditorAlone(roles: Role[]): void {
  if (roles.includes('auditor') && roles.length > 1) {
    const others = roles.filter((role) => role !== 'auditor');
    throw badRequest('roles: auditor is a role of its own', [
      {
        field: 'roles',
        reasons: [
          `auditor cannot be combined with ${others.join(', ')}: an auditor reviews the access of others`,
        ],
      },
    ]);
  }
}

/**
 * An administrator is never a member of a case and takes no emergency access: with a staff role
 * beside it an account would be both, so the roles are not combined. A 400 naming `roles`.
 */
function checkAdminNotStaff(roles: Role[]): void {
  const staff = roles.filter((role) => STAFF_ROLES.includes(role));
  if (roles.includes('admin') && staff.length > 0) {
    throw badRequest('roles: admin is not combined with a staff role', [
      {
        field: 'roles',
        reasons: [
          `admin cannot be combined with ${staff.join(', ')}: administrators are never members of cases; give the person a staff account of their own`,
        ],
      },
    ]);
  }
}

/** Accounts: the caller's own (`/me`) and, for administrators, everyone's in the municipality. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly outbox: OutboxService,
    private readonly throttle: LoginThrottleService,
  ) {}

  async me(actor: Actor): Promise<MeResponse> {
    const [row] = await this.dataSource.query<
      {
        id: string;
        email: string;
        display_name: string;
        roles: Role[];
        unit_id: string;
        unit_name: string;
        agency: MeResponse['agency'];
        area_id: string;
        municipality_id: string;
        municipality_name: string;
        areas: { id: string; name: string }[];
      }[]
    >(
      `SELECT u.id, u.email, u.display_name, u.roles, un.id AS unit_id, un.name AS unit_name, un.agency,
              un.area_id, m.id AS municipality_id, m.name AS municipality_name,
              COALESCE((SELECT json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name)
                        FROM area a WHERE a.id = un.area_id
                           OR a.id IN (SELECT area_id FROM user_area WHERE user_id = u.id)), '[]') AS areas
       FROM app_user u JOIN unit un ON un.id = u.unit_id JOIN municipality m ON m.id = u.municipality_id
       WHERE u.id = $1`,
      [actor.principal.userId],
    );
    if (!row) throw notFound('Your account');
    return {
      user: { id: row.id, email: row.email, displayName: row.display_name },
      roles: row.roles,
      unit: { id: row.unit_id, name: row.unit_name, agency: row.agency, areaId: row.area_id },
      agency: row.agency,
      areas: row.areas,
      municipality: { id: row.municipality_id, name: row.municipality_name },
    };
  }

  async list(actor: Actor, limit?: number, cursor?: string): Promise<Page<UserResponse>> {
    const size = pageSize(limit);
    const after = decodeCursor(cursor, ['text', 'uuid']);
    const params = new SqlParams([actor.principal.municipalityId]);
    const rows = await this.dataSource.transaction(async (manager) => {
      const found = await manager.query<UserRow[]>(
        `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.municipality_id = $1
         ${after ? `AND (u.email, u.id) > (${params.bind(after[0])}, ${params.bind(after[1])}::uuid)` : ''}
         ORDER BY u.email, u.id LIMIT ${size + 1}`,
        params.values,
      );
      await this.audit.record(manager, actor, [
        {
          action: 'user.list',
          recordType: 'User',
          details: { returned: Math.min(found.length, size) },
        },
      ]);
      return found;
    });
    return toPage(rows, size, present, (row) => [row.email, row.id]);
  }

  /** One account: every one of the municipality's for administrators, one's own for everyone. */
  async get(actor: Actor, id: string): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, actor, id);
      const record = subject('User', {
        id: row.id,
        municipalityId: row.municipality_id,
      }) as unknown as Parameters<AppAbility['can']>[1];
      if (!actor.ability.can('read', record)) throw notFound('The user');
      await this.audit.record(manager, actor, [
        { action: 'user.read', recordType: 'User', recordId: id },
      ]);
      return present(row);
    });
  }

  async create(actor: Actor, request: CreateUserRequest): Promise<UserResponse> {
    const passwordHash = request.password ? await hashPassword(request.password) : null;
    return this.dataSource.transaction(async (manager) => {
      const agency = await this.checkUnitAndAreas(
        manager,
        actor,
        request.unitId,
        request.areaIds ?? [],
      );
      checkRolesFit(request.roles, agency);
      checkAuditorAlone(request.roles);
      checkAdminNotStaff(request.roles);
      const [created] = await manager.query<{ id: string }[]>(
        `INSERT INTO app_user (municipality_id, unit_id, email, display_name, password_hash, roles)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id`,
        [
          actor.principal.municipalityId,
          request.unitId,
          request.email.trim().toLowerCase(),
          request.displayName.trim(),
          passwordHash,
          request.roles,
        ],
      );
      if (!created) throw conflict('An account with this email address already exists');
      if (request.areaIds?.length) {
        await manager.query(
          'INSERT INTO user_area (user_id, area_id) SELECT $1, unnest($2::uuid[])',
          [created.id, request.areaIds],
        );
      }
      await this.audit.record(manager, actor, [
        {
          action: 'user.create',
          recordType: 'User',
          recordId: created.id,
          details: { roles: request.roles },
        },
      ]);
      return present(await this.find(manager, actor, created.id));
    });
  }

  async changeRoles(actor: Actor, id: string, roles: Role[]): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, actor, id, true);
      // Nobody changes their own roles: an administrator who gave themselves a staff role would
      // read the register they administer, and one who dropped their admin role could leave the
      // municipality without administration.
      if (id === actor.principal.userId) {
        throw forbidden(
          'You cannot change your own roles; another administrator changes your roles',
        );
      }
      const [unit] = await manager.query<{ agency: AgencyType }[]>(
        'SELECT agency FROM unit WHERE id = $1',
        [before.unit_id],
      );
      checkRolesFit(roles, unit!.agency);
      checkAuditorAlone(roles);
      checkAdminNotStaff(roles);
      const staff = roles.some((role) => STAFF_ROLES.includes(role));
      // Whoever is responsible for an open case keeps a role that may be (as a case asks of its
      // responsible user when it is opened or handed over).
      if (!roles.some((role) => RESPONSIBLE_ROLES.includes(role))) {
        const [{ count }] = await manager.query<[{ count: number }]>(
          "SELECT count(*)::int AS count FROM collab_case WHERE responsible_user_id = $1 AND status <> 'closed'",
          [id],
        );
        if (count > 0)
          throw conflict(
            `This user is responsible for ${count} open case(s); make someone else responsible first`,
          );
      }
      await manager.query(
        'UPDATE app_user SET roles = $2, authz_version = authz_version + 1, updated_at = now() WHERE id = $1',
        [id, roles],
      );
      // Only staff who work with young people are members of cases: without such a role the
      // user leaves every case, as a removed member does (told live, the socket leaves the room).
      const [left] = staff
        ? [[]]
        : await manager.query<[{ case_id: string; person_id: string }[], number]>(
            `DELETE FROM case_member cm USING collab_case k
             WHERE cm.user_id = $1 AND k.id = cm.case_id RETURNING cm.case_id, k.person_id`,
            [id],
          );
      await this.audit.record(manager, actor, [
        {
          action: 'user.roles_change',
          recordType: 'User',
          recordId: id,
          details: { before: before.roles, after: roles },
        },
        ...left.map((row) => ({
          action: 'case.member_remove',
          recordType: 'Case',
          recordId: row.case_id,
          personId: row.person_id,
          details: { userId: id, reason: 'roles_change' },
        })),
      ]);
      await this.outbox.publish(
        manager,
        left.map((row) => ({
          municipalityId: actor.principal.municipalityId,
          topic: 'case',
          aggregateId: row.case_id,
          type: 'case.member.remove',
          payload: { caseId: row.case_id, userId: id },
        })),
      );
      return present(await this.find(manager, actor, id));
    });
  }

  async setStatus(
    actor: Actor,
    id: string,
    status: 'active' | 'disabled',
    reason?: string,
  ): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      await this.find(manager, actor, id, true);
      if (status === 'disabled' && id === actor.principal.userId) {
        throw forbidden('You cannot disable your own account');
      }
      await manager.query(
        'UPDATE app_user SET status = $2, authz_version = authz_version + 1, updated_at = now() WHERE id = $1',
        [id, status],
      );
      // A disabled account's sessions end, and its calendar feed address with them: enabling the
      // account again must not bring an address back that may have leaked meanwhile.
      const feedEnded = status === 'disabled' && (await endCalendarFeed(manager, id));
      if (status === 'disabled')
        await this.sessions.revokeAllSessions(manager, id, 'account_disabled');
      await this.audit.record(manager, actor, [
        {
          action: status === 'disabled' ? 'user.disable' : 'user.enable',
          recordType: 'User',
          recordId: id,
          reason,
        },
        ...(feedEnded
          ? [
              {
                action: 'calendar_feed.revoke',
                recordType: 'User',
                recordId: id,
                details: { reason: 'account_disabled' },
              },
            ]
          : []),
      ]);
      return present(await this.find(manager, actor, id));
    });
  }

  async unlock(actor: Actor, id: string): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, actor, id, true);
      await manager.query(
        'UPDATE app_user SET locked_until = NULL, failed_login_count = 0 WHERE id = $1',
        [id],
      );
      // The sign-in attempts counted against the account go too, or the next correct sign-in
      // would still meet the per-account rate limit.
      await this.throttle.resetAccount(manager, user.email);
      await this.audit.record(manager, actor, [
        { action: 'user.unlock', recordType: 'User', recordId: id },
      ]);
      return present(await this.find(manager, actor, id));
    });
  }

  private async find(
    manager: EntityManager,
    actor: Actor,
    id: string,
    lock = false,
  ): Promise<UserRow> {
    const [row] = await manager.query<UserRow[]>(
      `SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = $1 AND u.municipality_id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [id, actor.principal.municipalityId],
    );
    if (!row) throw notFound('The user');
    return row;
  }

  private async checkUnitAndAreas(
    manager: EntityManager,
    actor: Actor,
    unitId: string,
    areaIds: string[],
  ): Promise<AgencyType> {
    const [unit] = await manager.query<{ id: string; agency: AgencyType }[]>(
      'SELECT id, agency FROM unit WHERE id = $1 AND municipality_id = $2',
      [unitId, actor.principal.municipalityId],
    );
    if (!unit) throw fieldError('unitId', 'no such unit in your municipality');
    if (areaIds.length) {
      const [{ count }] = await manager.query<[{ count: number }]>(
        'SELECT count(*)::int AS count FROM area WHERE id = ANY($1::uuid[]) AND municipality_id = $2',
        [areaIds, actor.principal.municipalityId],
      );
      if (count !== areaIds.length)
        throw fieldError('areaIds', 'one or more areas are not in your municipality');
    }
    return unit.agency;
  }
}
