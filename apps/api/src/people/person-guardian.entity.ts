import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Person } from './person.entity.js';

/** A guardian (vårdnadshavare) of a child; `custody` marks those whose consent is needed. */
@Entity('person_guardian')
export class PersonGuardian {
  @PrimaryColumn('uuid', { name: 'child_id' }) childId!: string;
  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_id' })
  child?: Person;
  @Index('person_guardian_guardian_idx')
  @PrimaryColumn('uuid', { name: 'guardian_id' })
  guardianId!: string;
  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'guardian_id' })
  guardian?: Person;
  @Column({ type: 'boolean', default: true }) custody!: boolean;
}
