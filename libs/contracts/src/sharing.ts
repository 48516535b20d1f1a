import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { HasText, IsOffsetDateTime, Nested, Optional } from './validators.js';
import { AGENCY_TYPES, type AgencyType } from './enums.js';
import { MAX_PAGE_SIZE } from './pagination.js';

/** The information categories every municipality starts with (configurable per municipality). */
export const DEFAULT_CATEGORIES = [
  { code: 'school_attendance', label: 'Skolnärvaro' },
  { code: 'school_wellbeing', label: 'Trivsel och hälsa i skolan' },
  { code: 'social_assessment', label: 'Socialtjänstens bedömning' },
  { code: 'police_observation', label: 'Polisens iakttagelser' },
  { code: 'leisure_participation', label: 'Fritidsaktiviteter' },
  { code: 'health', label: 'Hälsa (BUP)' },
  { code: 'plan_progress', label: 'Planens uppföljning' },
  { code: 'general', label: 'Allmänt' },
] as const;

const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,39}$/;
const CATEGORY_MESSAGE = 'must be 2–40 lower-case letters, digits or _';

/**
 * A statute's short citation as written ("SoL 14:1", "OSL 10:18 a", "LVU 2 §"): letters, digits,
 * single spaces and : § . / - between them. No tabs, invisible characters or doubled spaces, so
 * no two codes in the catalogue look alike.
 */
const LEGAL_BASIS_CODE = /^[\p{L}\p{N}](?:[\p{L}\p{N}:§./-]| (?! ))*[\p{L}\p{N}§]$/u;

export class CategoryResponse {
  @IsString() code!: string;
  @IsString() label!: string;
}

export class CreateCategoryRequest {
  @Matches(CATEGORY_CODE, { message: `code ${CATEGORY_MESSAGE}` })
  code!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(120) label!: string;
}

// ── Legal bases ────────────────────────────────────────────────────────────────────────────────

export class LegalBasisResponse {
  @IsUUID() id!: string;
  /** e.g. `OSL 10:18 a`. */
  @IsString() code!: string;
  @IsString() title!: string;
  @IsString() citation!: string;
  @IsArray() @IsIn(AGENCY_TYPES, { each: true }) fromAgencies!: AgencyType[];
  @IsArray() @IsIn(AGENCY_TYPES, { each: true }) toAgencies!: AgencyType[];
  @IsBoolean() requiresHarmAssessment!: boolean;
  /** The basis applies only to a person younger than this (SoL 14:1: a child, under 18; OSL 10:18 a: under 21); null: no age limit. */
  @IsOptional() @IsInt() personUnderAge!: number | null;
}

export class CreateLegalBasisRequest {
  @IsString()
  @MinLength(2)
  @MaxLength(60)
  @Matches(LEGAL_BASIS_CODE, {
    message:
      'code must be letters and digits with single spaces and : § . / - between them (e.g. "OSL 10:18 a")',
  })
  code!: string;
  @IsString() @MinLength(2) @HasText(2) @MaxLength(200) title!: string;
  @IsString() @MinLength(2) @HasText(2) @MaxLength(4000) citation!: string;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(AGENCY_TYPES, { each: true })
  fromAgencies!: AgencyType[];
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(AGENCY_TYPES, { each: true })
  toAgencies!: AgencyType[];
  @IsBoolean() requiresHarmAssessment!: boolean;
  /** The basis applies only to a person younger than this many years (e.g. 21). */
  @Optional() @IsInt() @Min(1) @Max(130) personUnderAge?: number;
}

/**
 * The statutory bases of domain.md, as data: each municipality starts with these and may add its
 * own. Citations marked (?) were not verified against the current statute text.
 */
export const DEFAULT_LEGAL_BASES: readonly Omit<LegalBasisResponse, 'id'>[] = [
  {
    code: 'SoL 14:1',
    title: 'Anmälningsskyldighet vid oro för barn',
    citation:
      'Myndigheter vars verksamhet berör barn och unga är skyldiga att genast anmäla till socialnämnden om de i sin verksamhet får kännedom om eller misstänker att ett barn far illa (socialtjänstlagen 2001:453, 14 kap. 1 §; numrering i SoL 2025:400 (?)).',
    fromAgencies: ['school', 'police', 'health'],
    toAgencies: ['social_services'],
    requiresHarmAssessment: false,
    personUnderAge: 18,
  },
  {
    code: 'OSL 10:18 a',
    title: 'Socialtjänst till polis: person under 21 år',
    citation:
      'Sekretess hindrar inte att uppgift om en enskild som inte har fyllt 21 år lämnas från socialtjänsten till Polismyndigheten, om det på grund av särskilda omständigheter kan antas att den unge kommer att begå brott, uppgiften kan bidra till att förhindra det och det inte är till skada för planerade eller pågående insatser (offentlighets- och sekretesslagen 2009:400, 10 kap. 18 a §).',
    fromAgencies: ['social_services'],
    toAgencies: ['police'],
    requiresHarmAssessment: true,
    personUnderAge: 21,
  },
  {
    code: 'OSL 10:2',
    title: 'Nödvändigt för att fullgöra den egna verksamheten',
    citation:
      'Sekretess hindrar inte att en uppgift lämnas till en enskild eller till en annan myndighet, om det är nödvändigt för att den utlämnande myndigheten ska kunna fullgöra sin verksamhet (offentlighets- och sekretesslagen 2009:400, 10 kap. 2 §). Tillämpas restriktivt.',
    fromAgencies: ['school', 'social_services', 'police', 'leisure', 'health'],
    toAgencies: ['school', 'social_services', 'police', 'leisure', 'health'],
    requiresHarmAssessment: true,
    personUnderAge: null,
  },
];

// ── Consent ────────────────────────────────────────────────────────────────────────────────────

export const CONSENT_METHODS = ['written', 'verbal'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export class ConsentPartyInput {
  /** The young person or one of their guardians, from the person register. */
  @IsUUID() personId!: string;
  /** When this party consented; defaults to now. */
  @Optional() @IsOffsetDateTime() givenAt?: string;
}

export class ConsentScope {
  /** Receiving agency types the consent names. */
  @IsArray() @ArrayUnique() @IsIn(AGENCY_TYPES, { each: true }) agencies!: AgencyType[];
  /** Or named receiving units. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  unitIds?: string[];
  /** Information categories it covers. */
  @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsString({ each: true }) categories!: string[];
}

export class CreateConsentRequest {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(6)
  @Nested(() => ConsentPartyInput, { each: true })
  parties!: ConsentPartyInput[];
  @Nested(() => ConsentScope) scope!: ConsentScope;
  @IsOffsetDateTime() validFrom!: string;
  @IsOffsetDateTime() validUntil!: string;
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  /** Reference to a scanned form kept elsewhere (optional). */
  @Optional() @IsString() @MaxLength(300) attachmentRef?: string;
}

export class RevokeConsentRequest {
  /**
   * The party who withdrew their consent. Named by staff who may know the parties (the consent
   * view gives every party's `personId`). A member to whom a party is masked (a protected young
   * person or guardian they are not cleared for) may leave it out: the revocation then takes
   * effect all the same, recorded as by "a party", with who recorded it and when. For a protected
   * young person, naming anyone is a 403 to those not cleared for them.
   */
  @Optional() @IsUUID() partyPersonId?: string;
  @Optional() @IsString() @MaxLength(500) reason?: string;
}

export class ConsentPartyResponse {
  /** Null when the reader may not know who the party is (a masked protected identity). */
  @IsOptional() @IsUUID() personId!: string | null;
  @IsString() name!: string;
  @IsIn(['young_person', 'guardian']) role!: 'young_person' | 'guardian';
  @IsBoolean() required!: boolean;
  @IsOptional() @IsDateString() givenAt!: string | null;
}

export class ConsentResponse {
  @IsUUID() id!: string;
  @IsUUID() caseId!: string;
  @IsBoolean() inForce!: boolean;
  /** Why it is not in force, in words ("guardian Anna Andersson has not consented"). */
  @IsArray() @IsString({ each: true }) notInForceReasons!: string[];
  @IsArray()
  @Nested(() => ConsentPartyResponse, { each: true })
  parties!: ConsentPartyResponse[];
  @Nested(() => ConsentScope) scope!: ConsentScope;
  @IsDateString() validFrom!: string;
  @IsDateString() validUntil!: string;
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @IsOptional() @IsString() attachmentRef!: string | null;
  @IsUUID() recordedBy!: string;
  @IsDateString() recordedAt!: string;
  @IsOptional() @IsDateString() revokedAt!: string | null;
  @IsOptional() @IsUUID() revokedByPersonId!: string | null;
  @IsOptional() @IsUUID() revokeRecordedBy!: string | null;
}

// ── Entries and disclosures ────────────────────────────────────────────────────────────────────

export class CreateEntryRequest {
  @IsString() @MaxLength(40) category!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(20_000) body!: string;
}

export class EntryResponse {
  @IsUUID() id!: string;
  @IsUUID() caseId!: string;
  @IsString() category!: string;
  @IsString() body!: string;
  @IsIn(AGENCY_TYPES) authorAgency!: AgencyType;
  @IsUUID() authorUserId!: string;
  @IsString() authorName!: string;
  @IsUUID() authorUnitId!: string;
  /** How you may read it: `own_agency`, or the legal basis of the disclosure that reached you. */
  @IsString() access!: string;
  @IsDateString() createdAt!: string;
}

export class EntrySearchRequest {
  @IsString() @MinLength(2) @HasText(2) @MaxLength(200) text!: string;
  @Optional() @IsUUID() caseId?: string;
  @Optional()
  @Matches(CATEGORY_CODE, { message: `category ${CATEGORY_MESSAGE}` })
  category?: string;
  @Optional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  @Optional() @IsString() @MaxLength(1024) cursor?: string;
}

export const DISCLOSURE_BASES = ['consent', 'statutory'] as const;
export type DisclosureBasisKind = (typeof DISCLOSURE_BASES)[number];

export class DisclosureReceiver {
  @IsIn(AGENCY_TYPES) agency!: AgencyType;
  /** Limit the disclosure to one unit of that agency. */
  @Optional() @IsUUID() unitId?: string;
}

export class CreateDisclosureRequest {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @Nested(() => DisclosureReceiver, { each: true })
  receivers!: DisclosureReceiver[];
  @IsIn(DISCLOSURE_BASES) basis!: DisclosureBasisKind;
  /** With basis `consent`: a consent of this case, in force, covering every receiver and the category. */
  @Optional() @IsUUID() consentId?: string;
  /** With basis `statutory`: the code of a legal basis in the municipality's catalogue. */
  @Optional() @IsString() @MaxLength(60) legalBasisCode?: string;
  /** Required by bases that demand a harm assessment (e.g. OSL 10:18 a). */
  @Optional() @IsString() @MinLength(10) @HasText(10) @MaxLength(4000) harmAssessment?: string;
  /** Why the entry is disclosed. */
  @IsString() @MinLength(3) @HasText(3) @MaxLength(1000) reason!: string;
}

export class DisclosureResponse {
  @IsUUID() id!: string;
  @IsUUID() entryId!: string;
  @IsIn(AGENCY_TYPES) fromAgency!: AgencyType;
  @IsIn(AGENCY_TYPES) toAgency!: AgencyType;
  @IsOptional() @IsUUID() toUnitId!: string | null;
  @IsIn(DISCLOSURE_BASES) basis!: DisclosureBasisKind;
  @IsOptional() @IsUUID() consentId!: string | null;
  @IsOptional() @IsString() legalBasisCode!: string | null;
  @IsOptional() @IsString() harmAssessment!: string | null;
  @IsString() reason!: string;
  /** Whether the basis holds now (a consent can be revoked or expire). */
  @IsBoolean() basisHolds!: boolean;
  @IsUUID() decidedBy!: string;
  @IsDateString() decidedAt!: string;
}
