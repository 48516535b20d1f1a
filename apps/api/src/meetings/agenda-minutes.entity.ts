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
import { CaseEntry } from '../sharing/case-entry.entity.js';
import { AgendaItem } from './agenda-item.entity.js';

/**
 * A note in the minutes of an agenda item. About a case, its text is a case entry (`entry_id`),
 * visible by the rules of entries; otherwise the text is kept here.
 */
@Entity('agenda_note')
@Index('agenda_note_item_idx', ['agendaItemId', 'createdAt'])
export class AgendaNote {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId!: string;
  @Column('uuid', { name: 'agenda_item_id' }) agendaItemId!: string;
  @ManyToOne(() => AgendaItem, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agenda_item_id' })
  agendaItem?: AgendaItem;
  @Column('uuid', { name: 'entry_id', nullable: true }) entryId!: string | null;
  @ManyToOne(() => CaseEntry, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id' })
  entry?: CaseEntry;
  @Column({ type: 'varchar', length: 40 }) category!: string;
  @Column({ type: 'text', nullable: true }) body!: string | null;
  @Column('uuid', { name: 'author_user_id' }) authorUserId!: string;
  @Column({ name: 'author_agency', type: 'varchar', length: 32 }) authorAgency!: AgencyType;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A decision recorded under an agenda item. */
@Entity('agenda_decision')
@Index('agenda_decision_item_idx', ['agendaItemId', 'createdAt'])
export class AgendaDecision {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'agenda_item_id' }) agendaItemId!: string;
  @ManyToOne(() => AgendaItem, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agenda_item_id' })
  agendaItem?: AgendaItem;
  @Column({ type: 'text' }) text!: string;
  @Column('uuid', { name: 'decided_by' }) decidedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
