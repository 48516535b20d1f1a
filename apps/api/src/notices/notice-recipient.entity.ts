import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Notice } from './notice.entity.js';

/** Who a notice reached (fixed when it is posted), and when they acknowledged it. */
@Entity('notice_recipient')
@Index('notice_recipient_user_idx', ['userId'])
export class NoticeRecipient {
  @PrimaryColumn('uuid', { name: 'notice_id' }) noticeId!: string;
  @ManyToOne(() => Notice, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notice_id' })
  notice?: Notice;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;
  /** Reached by the escalation (an area coordinator told of it), not addressed by the author. */
  @Column({ name: 'by_escalation', type: 'boolean', default: false }) byEscalation!: boolean;
  /** When they were told it no longer reaches them (`notice.withdrawn`): told once. */
  @Column({ name: 'withdrawn_told_at', type: 'timestamptz', nullable: true })
  withdrawnToldAt!: Date | null;
}
