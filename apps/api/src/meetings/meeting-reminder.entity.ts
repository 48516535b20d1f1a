import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Meeting } from './meeting.entity.js';

/**
 * One meeting reminder sent: its key makes it exactly once across replicas (a second runner's
 * insert of the same key does nothing). The key holds the start it reminded of, so a rescheduled
 * meeting is a new key (fresh reminders), and a reminder of the old start is never due again.
 */
@Entity('meeting_reminder')
export class MeetingReminder {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id' })
  meeting?: Meeting;
  @PrimaryColumn({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  /** How long before the start it was meant to go out. */
  @PrimaryColumn({ name: 'offset_minutes', type: 'int' }) offsetMinutes!: number;
  @Column({ name: 'sent_at', type: 'timestamptz', default: () => 'now()' }) sentAt!: Date;
}
