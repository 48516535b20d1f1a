import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Municipality } from '../organisation/municipality.entity.js';

/** A kind of information an entry holds; consents and disclosures are scoped by it. */
@Entity('information_category')
export class InformationCategory {
  @PrimaryColumn('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @PrimaryColumn({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 120 }) label!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
