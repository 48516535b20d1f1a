import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

/** A case's conversation: the last sequence number handed out (its row lock orders senders). */
@Entity('case_conversation')
export class CaseConversation {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column('integer', { name: 'last_seq', default: 0 }) lastSeq!: number;
}
