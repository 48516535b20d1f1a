import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Person } from '../people/person.entity.js';
import { Consent } from './consent.entity.js';

/** A party (the young person or a guardian) who has given the consent. */
@Entity('consent_party')
export class ConsentParty {
  @PrimaryColumn('uuid', { name: 'consent_id' }) consentId!: string;
  @ManyToOne(() => Consent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consent_id' })
  consent?: Consent;
  @PrimaryColumn('uuid', { name: 'person_id' }) personId!: string;
  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
  @Column({ name: 'given_at', type: 'timestamptz' }) givenAt!: Date;
  @Column('uuid', { name: 'recorded_by' }) recordedBy!: string;
}
