import type { MeetingKind, MeetingStatus } from '@samverka/contracts';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { Area } from '../organisation/area.entity.js';
import { Municipality } from '../organisation/municipality.entity.js';
import { User } from '../users/user.entity.js';

/** A meeting: times are instants (timestamptz), shown in Europe/Stockholm. */
@Entity('meeting')
@Index('meeting_time_idx', ['municipalityId', 'startsAt'])
@Index('meeting_upcoming_idx', ['startsAt'], { where: "status = 'scheduled'" })
@Check('meeting_time_check', 'ends_at > starts_at')
@Check('meeting_kind_check', `kind IN ('sspf_working_group', 'network', 'sig', 'sip', 'area')`)
export class Meeting {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column({ type: 'varchar', length: 24 }) kind!: MeetingKind;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column('uuid', { name: 'area_id' }) areaId!: string;
  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;
  @Index('meeting_case_idx')
  @Column('uuid', { name: 'case_id', nullable: true })
  caseId!: string | null;
  @ManyToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt!: Date;
  @Column({ type: 'varchar', length: 300, nullable: true }) place!: string | null;
  @Column({ name: 'video_link', type: 'varchar', length: 500, nullable: true }) videoLink!:
    string | null;
  @Index('meeting_organiser_idx')
  @Column('uuid', { name: 'organiser_id' })
  organiserId!: string;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organiser_id' })
  organiser?: User;
  @Column({ type: 'varchar', length: 16, default: 'scheduled' }) status!: MeetingStatus;
  @Column({ name: 'cancel_reason', type: 'varchar', length: 500, nullable: true }) cancelReason!:
    string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
