import type { RsvpResponse } from '@samverka/contracts';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Unit } from '../organisation/unit.entity.js';
import { User } from '../users/user.entity.js';
import { Meeting } from './meeting.entity.js';

/** An invited user or unit, with its answer. */
@Entity('meeting_invitee')
@Index('meeting_invitee_user_key', ['meetingId', 'userId'], { unique: true })
@Index('meeting_invitee_unit_key', ['meetingId', 'unitId'], { unique: true })
@Check('meeting_invitee_one_check', '(user_id IS NULL) <> (unit_id IS NULL)')
export class MeetingInvitee {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'meeting_id' }) meetingId!: string;
  @ManyToOne(() => Meeting, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meeting_id' })
  meeting?: Meeting;
  @Index('meeting_invitee_user_idx')
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  @Index('meeting_invitee_unit_idx')
  @Column('uuid', { name: 'unit_id', nullable: true })
  unitId!: string | null;
  @ManyToOne(() => Unit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'unit_id' })
  unit?: Unit;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) response!: RsvpResponse;
  @Column('uuid', { name: 'responded_by', nullable: true }) respondedBy!: string | null;
  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true }) respondedAt!: Date | null;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt!: Date;
}
