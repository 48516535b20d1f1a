import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Municipality } from './municipality.entity.js';

/** Settings the rules read per municipality (consent age, SIG age range, …). */
@Entity('municipal_settings')
export class MunicipalSettingsEntity {
  @PrimaryColumn('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @OneToOne(() => Municipality, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column({ name: 'youth_consent_age', type: 'smallint', default: 15 }) youthConsentAge!: number;
  @Column({ name: 'sig_min_age', type: 'smallint', default: 12 }) sigMinAge!: number;
  @Column({ name: 'sig_max_age', type: 'smallint', default: 20 }) sigMaxAge!: number;
  /** How long before a meeting starts its reminders go out, in minutes (default 24 h and 1 h). */
  @Column({
    name: 'meeting_reminder_minutes',
    type: 'int',
    array: true,
    default: () => "'{1440,60}'",
  })
  meetingReminderMinutes!: number[];
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
