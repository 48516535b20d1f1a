import type { AgencyType, ConsentMethod } from '@samverka/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

/**
 * A consent (samtycke) for one case: its scope and validity. Whether it is in force is computed at
 * read time (SQL function `consent_problems`): every required party, inside its validity, not revoked.
 */
@Entity('consent')
// The relay's scan for consents that just expired, so that it never reads the whole table.
@Index('consent_expiry_pending_idx', ['validUntil'], {
  where: 'expiry_announced_at IS NULL AND revoked_at IS NULL',
})
export class Consent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Index('consent_case_idx')
  @Column('uuid', { name: 'case_id' })
  caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ name: 'scope_agencies', type: 'varchar', length: 32, array: true })
  scopeAgencies!: AgencyType[];
  @Column({ name: 'scope_unit_ids', type: 'uuid', array: true }) scopeUnitIds!: string[];
  @Column({ name: 'scope_categories', type: 'varchar', length: 40, array: true })
  scopeCategories!: string[];
  @Column({ name: 'valid_from', type: 'timestamptz' }) validFrom!: Date;
  /** The municipality's youth consent age when recorded (filled in by a trigger). */
  @Column({ name: 'youth_consent_age', type: 'smallint' }) youthConsentAge!: number;
  @Column({ name: 'valid_until', type: 'timestamptz' }) validUntil!: Date;
  @Column({ type: 'varchar', length: 16 }) method!: ConsentMethod;
  @Column({ name: 'attachment_ref', type: 'varchar', length: 300, nullable: true }) attachmentRef!:
    string | null;
  @Column('uuid', { name: 'recorded_by' }) recordedBy!: string;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column('uuid', { name: 'revoked_by_person_id', nullable: true }) revokedByPersonId!:
    string | null;
  @Column('uuid', { name: 'revoke_recorded_by', nullable: true }) revokeRecordedBy!: string | null;
  @Column({ name: 'revoke_reason', type: 'varchar', length: 500, nullable: true }) revokeReason!:
    string | null;
  /** When the hub announced its expiry to the case's members (once, by whichever replica). */
  @Column({ name: 'expiry_announced_at', type: 'timestamptz', nullable: true })
  expiryAnnouncedAt!: Date | null;
  /** The day its lapse by a birthday was announced (see `OutboxRelay.announceConsentLapses`). */
  @Column({ name: 'lapse_announced_on', type: 'date', nullable: true })
  lapseAnnouncedOn!: string | null;
}
