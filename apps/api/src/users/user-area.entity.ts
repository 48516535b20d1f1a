import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Area } from '../organisation/area.entity.js';
import { User } from './user.entity.js';

/** Areas a user works in besides their unit's own area. */
@Entity('user_area')
export class UserArea {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
  @PrimaryColumn('uuid', { name: 'area_id' }) areaId!: string;
  @ManyToOne(() => Area, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id' })
  area?: Area;
}
