import type { RiskFactorKind } from '@samverka/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Case } from '../cases/case.entity.js';
import { Municipality } from '../organisation/municipality.entity.js';

/** A recorded, justified exception to the SIG age range, decided by social services. */
@Entity('sig_age_exception')
@Index('sig_age_exception_case_idx', ['caseId', 'decidedAt'])
export class SigAgeException {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ type: 'text' }) justification!: string;
  @Column('uuid', { name: 'decided_by' }) decidedBy!: string;
  @CreateDateColumn({ name: 'decided_at', type: 'timestamptz' }) decidedAt!: Date;
}

/** The municipality's item set of risk and protective factors (defaults when it has none). */
@Entity('risk_factor_item')
export class RiskFactorItemEntity {
  @PrimaryColumn('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @PrimaryColumn({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) label!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: RiskFactorKind;
  @Column({ name: 'max_score', type: 'smallint' }) maxScore!: number;
  @Column({ type: 'smallint' }) position!: number;
}

/** A dated, scored assessment; the items are copied in, so history survives a changed item set. */
@Entity('risk_assessment')
@Index('risk_assessment_case_idx', ['caseId', 'assessedOn'])
export class RiskAssessment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'case_id' }) caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column({ name: 'assessed_on', type: 'date' }) assessedOn!: string;
  @Column({ type: 'jsonb' }) scores!: Record<string, unknown>[];
  @Column({ name: 'risk_score', type: 'int' }) riskScore!: number;
  @Column({ name: 'protective_score', type: 'int' }) protectiveScore!: number;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column('uuid', { name: 'assessed_by' }) assessedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
