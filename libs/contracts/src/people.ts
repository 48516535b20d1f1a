import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import {
  GENDERS,
  IDENTITY_KINDS,
  PROTECTION_LEVELS,
  type Gender,
  type IdentityKind,
  type ProtectionLevel,
} from './enums.js';
import { MAX_PAGE_SIZE } from './pagination.js';
import {
  HasText,
  IsCalendarDate,
  IsIdentityNumber,
  Nested,
  Nullable,
  Optional,
} from './validators.js';

/** What users who are not cleared for a protected person see in place of each protected field. */
export const PROTECTED_LABEL = 'Skyddad identitet';

export class GuardianInput {
  @IsUUID() personId!: string;
  /** Has custody (vårdnad); every guardian with custody must consent for a child under 18. */
  @IsBoolean() custody!: boolean;
}

export class CreatePersonRequest {
  /** Leave out `identityKind` for personnummer/samordningsnummer; `reserve` needs it. */
  @JSONSchema({ description: 'Never sent in a URL. YYYYMMDD-NNNN, YYMMDD-NNNN or YYMMDD+NNNN.' })
  @Optional()
  @IsString()
  @IsIdentityNumber()
  identityNumber?: string;

  /** `reserve` without a number: the system assigns a local reserve number. */
  @Optional() @IsIn(IDENTITY_KINDS) identityKind?: IdentityKind;

  @IsString() @MinLength(1) @HasText(1) @MaxLength(100) givenName!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(100) familyName!: string;
  /** Required when the identity number does not give it (reserve numbers). */
  @Optional() @IsCalendarDate() birthDate?: string;
  @Optional() @IsIn(GENDERS) gender?: Gender;
  @Optional() @IsString() @MaxLength(300) address?: string;
  @Optional() @IsString() @MaxLength(200) school?: string;
  @Optional() @IsIn(PROTECTION_LEVELS) protectionLevel?: ProtectionLevel;
  @Optional()
  @IsArray()
  @ArrayMaxSize(6)
  @Nested(() => GuardianInput, { each: true })
  guardians?: GuardianInput[];
}

export class UpdatePersonRequest {
  @Optional() @IsString() @IsIdentityNumber() identityNumber?: string;
  @Optional() @IsIn(IDENTITY_KINDS) identityKind?: IdentityKind;
  @Optional() @IsString() @MinLength(1) @HasText(1) @MaxLength(100) givenName?: string;
  @Optional() @IsString() @MinLength(1) @HasText(1) @MaxLength(100) familyName?: string;
  @Optional() @IsCalendarDate() birthDate?: string;
  /** `null` clears the gender, address or school (each may be unknown). */
  @Nullable() @IsIn(GENDERS) gender?: Gender | null;
  @Nullable() @IsString() @MaxLength(300) address?: string | null;
  @Nullable() @IsString() @MaxLength(200) school?: string | null;
  @Optional() @IsIn(PROTECTION_LEVELS) protectionLevel?: ProtectionLevel;
  /** Replaces the list of guardians. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(6)
  @Nested(() => GuardianInput, { each: true })
  guardians?: GuardianInput[];
}

export class GuardianResponse {
  /** `null` for a protected guardian the caller is not cleared for (named "Skyddad identitet"). */
  @IsOptional() @IsUUID() personId!: string | null;
  @IsString() name!: string;
  @IsBoolean() custody!: boolean;
}

@JSONSchema({
  description:
    'A person in the register. For a protected person the caller is not cleared for, names, ' +
    'identity number, birth date, address, school, guardians and protection level are masked.',
})
export class PersonResponse {
  @IsUUID() id!: string;
  @IsOptional() @IsIn(IDENTITY_KINDS) identityKind!: IdentityKind | null;
  /** YYYYMMDD-NNNN; `null` when masked. */
  @IsOptional() @IsString() identityNumber!: string | null;
  @IsString() givenName!: string;
  @IsString() familyName!: string;
  @IsOptional() @IsDateString() birthDate!: string | null;
  @IsOptional() @IsIn(GENDERS) gender!: Gender | null;
  @IsOptional() @IsString() address!: string | null;
  @IsOptional() @IsString() school!: string | null;
  @IsOptional() @IsIn(PROTECTION_LEVELS) protectionLevel!: ProtectionLevel | null;
  @IsArray()
  @Nested(() => GuardianResponse, { each: true })
  guardians!: GuardianResponse[];
  /** True when fields were masked because the caller is not cleared for this person. */
  @IsBoolean() masked!: boolean;
  @IsDateString() createdAt!: string;
  @IsDateString() updatedAt!: string;
}

/** Search by name or by identity number (in the body, never in a URL): exactly one of them. */
export class SearchPeopleRequest {
  @Optional() @IsString() @MinLength(2) @MaxLength(100) name?: string;
  @Optional() @IsString() @IsIdentityNumber() identityNumber?: string;
  @Optional() @IsIn(IDENTITY_KINDS) identityKind?: IdentityKind;
  @Optional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  @Optional() @IsString() @MaxLength(1024) cursor?: string;
}

export class GrantClearanceRequest {
  @IsUUID() userId!: string;
  @IsString() @MinLength(3) @HasText(3) @MaxLength(500) reason!: string;
}

/** The longest and the default emergency access, in minutes. */
export const EMERGENCY_ACCESS_MAX_MINUTES = 480;
export const EMERGENCY_ACCESS_DEFAULT_MINUTES = 60;

/**
 * Emergency access to a protected identity (nödåtkomst): the caller sees the person in full for a
 * while, on a reason an auditor reviews; the municipality's auditors are alerted at once.
 */
export class EmergencyAccessRequest {
  /** Why you need the person's identity now (no identity numbers): shown to the auditors. */
  @IsString() @MinLength(10) @HasText(10) @MaxLength(500) reason!: string;
  /** How long, in minutes (5–480; default 60). */
  @Optional() @IsInt() @Min(5) @Max(EMERGENCY_ACCESS_MAX_MINUTES) minutes?: number;
}

export class ClearanceResponse {
  @IsUUID() personId!: string;
  @IsUUID() userId!: string;
  @IsUUID() grantedBy!: string;
  @IsDateString() grantedAt!: string;
  @IsString() reason!: string;
  /** When an emergency access ends; null for a clearance granted for good. */
  @IsOptional() @IsDateString() expiresAt!: string | null;
}
