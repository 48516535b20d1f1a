import type { AgencyType, DisclosureBasisKind } from '@samverka/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LegalBasis } from '../catalog/legal-basis.entity.js';
import { CaseEntry } from './case-entry.entity.js';
import { Consent } from './consent.entity.js';

/**
 * A decision to share one entry with one receiving agency (or unit), on a consent or a statutory
 * basis: who decided, when and why. A consent-based disclosure holds only while the consent does.
 */
@Entity('disclosure')
@Index('disclosure_receiver_idx', ['entryId', 'toAgency'])
export class Disclosure {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'entry_id' }) entryId!: string;
  @ManyToOne(() => CaseEntry, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id' })
  entry?: CaseEntry;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @Column({ name: 'from_agency', type: 'varchar', length: 32 }) fromAgency!: AgencyType;
  @Column({ name: 'to_agency', type: 'varchar', length: 32 }) toAgency!: AgencyType;
  @Column('uuid', { name: 'to_unit_id', nullable: true }) toUnitId!: string | null;
  @Column({ name: 'basis_kind', type: 'varchar', length: 16 }) basisKind!: DisclosureBasisKind;
  @Index('disclosure_consent_idx')
  @Column('uuid', { name: 'consent_id', nullable: true })
  consentId!: string | null;
  @ManyToOne(() => Consent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consent_id' })
  consent?: Consent;
  @Column('uuid', { name: 'legal_basis_id', nullable: true }) legalBasisId!: string | null;
  @ManyToOne(() => LegalBasis, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'legal_basis_id' })
  legalBasis?: LegalBasis;
  @Column({ name: 'harm_assessment', type: 'text', nullable: true }) harmAssessment!: string | null;
  @Column({ type: 'varchar', length: 1000 }) reason!: string;
  @Column('uuid', { name: 'decided_by' }) decidedBy!: string;
  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' }) decidedAt!: Date;
}
