import type { Gender, IdentityKind, ProtectionLevel } from '@samverka/contracts';
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
import { Municipality } from '../organisation/municipality.entity.js';

/** A young person or a guardian in the municipality's person register. */
@Entity('person')
@Index('person_identity_key', ['municipalityId', 'identityNumber'], { unique: true })
@Index('person_protected_idx', ['municipalityId'], { where: "protection_level <> 'none'" })
@Check(
  'person_protection_level_check',
  `protection_level IN ('none', 'flagged', 'protected_registration', 'assumed_identity')`,
)
@Check(
  'person_identity_kind_check',
  `identity_kind IN ('personnummer', 'samordningsnummer', 'reserve')`,
)
export class Person {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;
  @Column({ name: 'identity_kind', type: 'varchar', length: 20 }) identityKind!: IdentityKind;
  /** Normalised (12 digits, or the reserve number). Never in a URL or a log line. */
  @Column({ name: 'identity_number', type: 'varchar', length: 32 }) identityNumber!: string;
  @Column({ name: 'given_name', type: 'varchar', length: 100 }) givenName!: string;
  @Column({ name: 'family_name', type: 'varchar', length: 100 }) familyName!: string;
  @Column({ name: 'birth_date', type: 'date', nullable: true }) birthDate!: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) gender!: Gender | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) address!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) school!: string | null;
  @Column({ name: 'protection_level', type: 'varchar', length: 32, default: 'none' })
  protectionLevel!: ProtectionLevel;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
