import type { CaseKind } from '@samverka/contracts';
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
import { Area } from '../organisation/area.entity.js';
import { Municipality } from '../organisation/municipality.entity.js';
import { Unit } from '../organisation/unit.entity.js';
import { Person } from '../people/person.entity.js';
import { User } from '../users/user.entity.js';

/** A collaboration (SSPF, SIG or SIP) about one young person. */
@Entity('collab_case')
@Index('collab_case_area_idx', ['municipalityId', 'areaId'])
// Lists are newest first: the index lets a page stop after its rows instead of sorting them all.
@Index('collab_case_recent_idx', ['municipalityId', 'createdAt', 'id'])
@Check('collab_case_kind_check', `kind IN ('sspf', 'sig', 'sip')`)
export class Case {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column({ type: 'varchar', length: 8 }) kind!: CaseKind;
  @Column({ type: 'varchar', length: 40 }) status!: string;
  @Column('uuid', { name: 'area_id' }) areaId!: string;
  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;
  @Index('collab_case_person_idx')
  @Column('uuid', { name: 'person_id' })
  personId!: string;
  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
  @Index('collab_case_owning_unit_idx')
  @Column('uuid', { name: 'owning_unit_id' })
  owningUnitId!: string;
  @ManyToOne(() => Unit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owning_unit_id' })
  owningUnit?: Unit;
  @Column('uuid', { name: 'responsible_user_id' }) responsibleUserId!: string;
  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsible_user_id' })
  responsibleUser?: User;
  @Column('uuid', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
