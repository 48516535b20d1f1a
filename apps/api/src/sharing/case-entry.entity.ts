import type { AgencyType } from '@samverka/contracts';
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

/** What one agency records in a case; visible to that agency alone unless disclosed. */
@Entity('case_entry')
@Index('case_entry_case_idx', ['caseId', 'createdAt'])
export class CaseEntry {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column('uuid', { name: 'author_user_id' }) authorUserId!: string;
  @Column('uuid', { name: 'author_unit_id' }) authorUnitId!: string;
  @Column({ name: 'author_agency', type: 'varchar', length: 32 }) authorAgency!: AgencyType;
  @Column({ type: 'varchar', length: 40 }) category!: string;
  @Column({ type: 'text' }) body!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
