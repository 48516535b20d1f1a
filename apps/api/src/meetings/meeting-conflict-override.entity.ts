import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Meeting } from './meeting.entity.js';

/** The organiser booked the meeting although these invitees were busy, and said why. */
@Entity('meeting_conflict_override')
export class MeetingConflictOverride {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id' })
  meeting?: Meeting;
  @Column({ name: 'user_ids', type: 'uuid', array: true }) userIds!: string[];
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Column('uuid', { name: 'overridden_by' }) overriddenBy!: string;
  @Column({ name: 'overridden_at', type: 'timestamptz', default: () => 'now()' })
  overriddenAt!: Date;
}
