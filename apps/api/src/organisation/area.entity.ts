import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Municipality } from './municipality.entity.js';

/** A district (stadsdel/område) of a municipality. */
@Entity('area')
@Index('area_municipality_name_key', ['municipalityId', 'name'], { unique: true })
export class Area {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column({ type: 'varchar', length: 120 }) name!: string;
}
