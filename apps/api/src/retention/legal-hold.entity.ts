import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

/**
 * A legal hold on a case: retention removes nothing of the case or of what belongs to it. The
 * foreign key refuses to delete a held case, whatever the query that tries.
 */
@Entity('legal_hold')
export class LegalHold {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId!: string;
  @OneToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Column('uuid', { name: 'placed_by' }) placedBy!: string;
  @CreateDateColumn({ name: 'placed_at', type: 'timestamptz' }) placedAt!: Date;
}
