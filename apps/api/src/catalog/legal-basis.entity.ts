import type { AgencyType } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Municipality } from '../organisation/municipality.entity.js';

/** A statutory basis for disclosure, per municipality: who may use it toward whom, and on what terms. */
@Entity('legal_basis')
@Index('legal_basis_code_key', ['municipalityId', 'code'], { unique: true })
export class LegalBasis {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column({ type: 'varchar', length: 60 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) citation!: string;
  @Column({ name: 'from_agencies', type: 'varchar', length: 32, array: true })
  fromAgencies!: AgencyType[];
  @Column({ name: 'to_agencies', type: 'varchar', length: 32, array: true })
  toAgencies!: AgencyType[];
  @Column({ name: 'requires_harm_assessment', type: 'boolean' }) requiresHarmAssessment!: boolean;
  /** The basis applies only to a person younger than this (OSL 10:18 a: under 21); null: no age limit. */
  @Column({ name: 'person_under_age', type: 'smallint', nullable: true })
  personUnderAge!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
