import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { Unit } from '../organisation/unit.entity.js';
import { Case } from './case.entity.js';

/** A unit participating in a case (besides the owning unit). */
@Entity('case_unit')
export class CaseUnit {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Index('case_unit_unit_idx')
  @PrimaryColumn('uuid', { name: 'unit_id' })
  unitId!: string;
  @ManyToOne(() => Unit, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'unit_id' })
  unit?: Unit;
  @Column('uuid', { name: 'added_by' }) addedBy!: string;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt!: Date;
}
