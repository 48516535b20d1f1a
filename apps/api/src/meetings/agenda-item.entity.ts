import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { LegalBasis } from '../catalog/legal-basis.entity.js';
import { Meeting } from './meeting.entity.js';

/**
 * An agenda item, perhaps about one young person (a case). Who sees it is decided at read time
 * (SQL function `case_info_covers`): a consent in force, or the statutory basis it names.
 */
@Entity('agenda_item')
@Index('agenda_item_meeting_idx', ['meetingId', 'position'])
export class AgendaItem {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id' })
  meeting?: Meeting;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Index('agenda_item_case_idx')
  @Column('uuid', { name: 'case_id', nullable: true })
  caseId!: string | null;
  @ManyToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ type: 'varchar', length: 40 }) category!: string;
  @Column('uuid', { name: 'legal_basis_id', nullable: true }) legalBasisId!: string | null;
  @ManyToOne(() => LegalBasis, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'legal_basis_id' })
  legalBasis?: LegalBasis;
  @Column({ name: 'harm_assessment', type: 'text', nullable: true }) harmAssessment!: string | null;
  @Column('uuid', { name: 'added_by' }) addedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
