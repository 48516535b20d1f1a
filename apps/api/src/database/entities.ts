import { AuditChain } from '../audit/audit-chain.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { AuthSession } from '../auth/auth-session.entity.js';
import { LoginThrottle } from '../auth/login-throttle.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Area } from '../organisation/area.entity.js';
import { MunicipalSettingsEntity } from '../organisation/municipal-settings.entity.js';
import { Municipality } from '../organisation/municipality.entity.js';
import { Unit } from '../organisation/unit.entity.js';
import { PersonAgency } from '../people/person-agency.entity.js';
import { PersonClearance } from '../people/person-clearance.entity.js';
import { PersonGuardian } from '../people/person-guardian.entity.js';
import { Person } from '../people/person.entity.js';
import { UserArea } from '../users/user-area.entity.js';
import { User } from '../users/user.entity.js';

export const ENTITIES = [
  Municipality,
  MunicipalSettingsEntity,
  Area,
  Unit,
  User,
  UserArea,
  AuthSession,
  RefreshToken,
  LoginThrottle,
  Person,
  PersonGuardian,
  PersonAgency,
  PersonClearance,
  AuditChain,
  AuditEvent,
];
