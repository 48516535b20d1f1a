import type { AgencyType } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { Person } from './person.entity.js';

/**
 * Which agencies of the municipality know of a person (registered them, or later reach them
 * through a case). A person is visible only to agencies linked here.
 */
@Entity('person_agency')
@Index('person_agency_agency_idx', ['agency', 'personId'])
export class PersonAgency {
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
  @PrimaryColumn({ type: 'varchar', length: 32 }) agency!: AgencyType;
  @Column('uuid', { name: 'linked_by_unit_id', nullable: true }) linkedByUnitId!: string | null;
  @CreateDateColumn({ name: 'linked_at', type: 'timestamptz' }) linkedAt!: Date;
}
