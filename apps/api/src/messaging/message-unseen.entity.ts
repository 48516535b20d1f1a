import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

/**
 * A message a member's read mark passed while it was hidden from them (`MessageRead` is how far
 * they read): not seen by them, and unread for them once they may see it, until they mark a read
 * that covers it while they may.
 */
@Entity('message_unseen')
export class MessageUnseen {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('integer') seq!: number;
}
