import type { AgencyType } from '@samverka/contracts';
import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Area } from './area.entity.js';
import { Municipality } from './municipality.entity.js';

/** An agency unit (a school, a social services unit, a police area team, …). */
@Entity('unit')
@Index('unit_municipality_name_key', ['municipalityId', 'name'], { unique: true })
@Check(
  'unit_agency_check',
  `agency IN ('school', 'social_services', 'police', 'leisure', 'health')`,
)
export class Unit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Index('unit_area_idx')
  @Column('uuid', { name: 'area_id' })
  areaId!: string;
  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;
  @Column({ type: 'varchar', length: 160 }) name!: string;
  @Column({ type: 'varchar', length: 32 }) agency!: AgencyType;
}
