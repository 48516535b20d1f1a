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

/**
 * A message in a case's conversation. Visible like an entry of its category: to the author's
 * agency, and to other agencies while a consent in force covers them and the category.
 */
@Entity('case_message')
@Index('case_message_seq_key', ['caseId', 'seq'], { unique: true })
@Index('case_message_client_key', ['authorUserId', 'clientId'], { unique: true })
export class CaseMessage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column('integer') seq!: number;
  @Column({ name: 'client_id', type: 'varchar', length: 64 }) clientId!: string;
  @Column('uuid', { name: 'author_user_id' }) authorUserId!: string;
  @Column('uuid', { name: 'author_unit_id' }) authorUnitId!: string;
  @Column({ name: 'author_agency', type: 'varchar', length: 32 }) authorAgency!: AgencyType;
  @Column({ type: 'varchar', length: 40 }) category!: string;
  @Column({ type: 'text' }) body!: string;
  @Column('uuid', { name: 'reply_to_id', nullable: true }) replyToId!: string | null;
  /** Set when retention anonymised the message: its body is emptied, its place kept. */
  @Column({ name: 'anonymised_at', type: 'timestamptz', nullable: true })
  anonymisedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
