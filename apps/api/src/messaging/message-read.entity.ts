import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

/** How far a member has read a case's conversation ("seen by", unread counts). */
@Entity('message_read')
export class MessageRead {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @Column('integer') seq!: number;
  @Column({ name: 'read_at', type: 'timestamptz' }) readAt!: Date;
}
