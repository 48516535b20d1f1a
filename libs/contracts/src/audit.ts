import {
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { PageQuery } from './pagination.js';
import { Nested, Optional } from './validators.js';

export class AuditQuery extends PageQuery {
  @Optional() @IsUUID() personId?: string;
  @Optional() @IsUUID() actorUserId?: string;
  @Optional() @IsString() @MaxLength(80) action?: string;
}

export class AuditEventResponse {
  @IsString() id!: string;
  @IsDateString() occurredAt!: string;
  @IsString() action!: string;
  @IsOptional() @IsUUID() actorUserId!: string | null;
  @IsOptional() @IsString() actorName!: string | null;
  @IsOptional() @IsUUID() actorUnitId!: string | null;
  @IsOptional() @IsString() recordType!: string | null;
  @IsOptional() @IsString() recordId!: string | null;
  @IsOptional() @IsUUID() personId!: string | null;
  @IsOptional() @IsString() requestId!: string | null;
  /** The legal basis of a disclosure read (consent id or statute citation). */
  @IsOptional() @IsString() legalBasis!: string | null;
  /** The reason the caller gave (e.g. for emergency access). */
  @IsOptional() @IsString() reason!: string | null;
  /**
   * Who was handed the person's data, live: the recipients of a message send and of a notice
   * about a person (null for other actions, and for a notice about an area).
   */
  @IsOptional() @IsUUID(undefined, { each: true }) recipientUserIds!: string[] | null;
  /**
   * What an administrative action did, as recorded: only for the actions whose details hold ids,
   * codes and settings, never personal text (null for every other action, whose details may
   * carry a case's content). The actions and their shapes are in the schema's description.
   */
  @JSONSchema({
    nullable: true,
    additionalProperties: true,
    description:
      'What an administrative action did, as recorded; null for other actions (their details may ' +
      'hold case content). `person.clearance_grant` / `person.clearance_revoke`: `{ userId }`, the ' +
      'user cleared or no longer cleared for the person. `person.emergency_access`: ' +
      '`{ minutes, expiresAt }`, how long the emergency access was taken for. ' +
      '`person.named_in_refused_text`: `{ fields }`, the fields of a refused request whose text ' +
      'named the person (its refusal told the sender the name, number or address is in the register). ' +
      '`person.named_in_text`: `{ fields }`, the fields of a text (a case entry) whose author, not cleared ' +
      'for the person, may have named them (it reads as hidden to readers not cleared for them). ' +
      '`user.create`: `{ roles }`. ' +
      '`user.roles_change`: `{ before, after }`, the roles. `municipality.settings_update`: ' +
      '`{ changed: { <setting>: { before, after } } }`. `calendar_feed.revoke`: ' +
      '`{ reason: "account_disabled" }` when disabling the account ended it (null when its user ' +
      'revoked it). ' +
      '`case.member_add` / `case.member_remove`: `{ userId }` (with `reason` when a roles change ' +
      'removed the member). `case.unit_add`: `{ unitId }`; `case.unit_remove`: `{ unitId, members }` ' +
      '(the users who left with it). `case.legal_hold.lifted`: `{ placedAt, placedBy }`. ' +
      '`retention.rule.set`: `{ period, action, previousPeriod, previousAction }`; ' +
      '`retention.rule.removed`: `{ previousPeriod }`; `retention.deleted` / ' +
      '`retention.anonymised`: `{ rule, period, cutoff, count, ids }`. ' +
      '`risk_factor_items.replace`: `{ codes }`. `auth.login`: `{ method }`. `audit.verify`: `{ ok }`. ' +
      '`audit.read`: `{ actorUserId, action, returned }`, the filters of a read of the trail (its ' +
      "`personId` is the event's) and how many events it returned. `legal_basis.create`: the basis " +
      'as the catalogue lists it (`{ id, code, title, citation, fromAgencies, toAgencies, … }`).',
  })
  @IsOptional()
  @IsObject()
  details!: Record<string, unknown> | null;
}

export class BrokenLink {
  @IsString() chain!: string;
  @IsInt() seq!: number;
  @IsOptional() @IsString() eventId!: string | null;
  @IsString() reason!: string;
}

export class AuditVerifyResponse {
  @IsBoolean() ok!: boolean;
  @IsInt() chainsChecked!: number;
  @IsInt() eventsChecked!: number;
  @IsOptional() @Nested(() => BrokenLink) firstBrokenLink!: BrokenLink | null;
  /** The first broken link of each chain that has one: a break does not stop the check. */
  @IsArray() @Nested(() => BrokenLink, { each: true }) brokenLinks!: BrokenLink[];
}
