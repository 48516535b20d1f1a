import type { AgencyType, NoticeKind } from '@samverka/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A police notice to chosen areas and agency types: about places and events, or about a case. */
@Entity('notice')
@Index('notice_escalation_idx', ['createdAt'], {
  where: 'ack_required AND escalated_at IS NULL',
})
export class Notice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: NoticeKind;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) body!: string;
  @Column('uuid', { name: 'area_ids', array: true }) areaIds!: string[];
  @Column({ type: 'varchar', length: 32, array: true }) agencies!: AgencyType[];
  @Column('uuid', { name: 'case_id', nullable: true }) caseId!: string | null;
  /** `consent`, or a statutory basis code. */
  @Column({ name: 'legal_basis', type: 'varchar', length: 40, nullable: true })
  legalBasis!: string | null;
  @Column({ name: 'harm_assessment', type: 'text', nullable: true }) harmAssessment!: string | null;
  /** Given on consent: the consents in force that it rested on when posted (it holds while one does). */
  @Column('uuid', { name: 'consent_ids', array: true, nullable: true }) consentIds!:
    string[] | null;
  @Column('uuid', { name: 'author_user_id' }) authorUserId!: string;
  @Column('uuid', { name: 'author_unit_id' }) authorUnitId!: string;
  @Column({ name: 'ack_required', type: 'boolean', default: false }) ackRequired!: boolean;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
