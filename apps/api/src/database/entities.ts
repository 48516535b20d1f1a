import { AuditChain } from '../audit/audit-chain.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { Case } from '../cases/case.entity.js';
import {
  ConcernExtension,
  ConcernReminder,
  ConcernStatusChange,
} from '../concerns/concern-history.entity.js';
import { ConcernReport } from '../concerns/concern-report.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { CaseMember } from '../cases/case-member.entity.js';
import { CaseStatusChange } from '../cases/case-status-change.entity.js';
import { CaseUnit } from '../cases/case-unit.entity.js';
import { InformationCategory } from '../catalog/information-category.entity.js';
import { LegalBasis } from '../catalog/legal-basis.entity.js';
import { CaseConversation } from '../messaging/conversation.entity.js';
import { CaseMessage } from '../messaging/case-message.entity.js';
import { MessageRead } from '../messaging/message-read.entity.js';
import { MessageUnseen } from '../messaging/message-unseen.entity.js';
import { NoticeRecipient } from '../notices/notice-recipient.entity.js';
import { Notice } from '../notices/notice.entity.js';
import { OutboxEvent } from '../outbox/outbox-event.entity.js';
import { CaseEntry } from '../sharing/case-entry.entity.js';
import { ConsentParty } from '../sharing/consent-party.entity.js';
import { Consent } from '../sharing/consent.entity.js';
import { Disclosure } from '../sharing/disclosure.entity.js';
import { AuthSession } from '../auth/auth-session.entity.js';
import { LoginThrottle } from '../auth/login-throttle.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Area } from '../organisation/area.entity.js';
import { LegalHold } from '../retention/legal-hold.entity.js';
import { RetentionRule } from '../retention/retention-rule.entity.js';
import { MunicipalSettingsEntity } from '../organisation/municipal-settings.entity.js';
import { Municipality } from '../organisation/municipality.entity.js';
import { Unit } from '../organisation/unit.entity.js';
import { PersonAgency } from '../people/person-agency.entity.js';
import { PersonClearance } from '../people/person-clearance.entity.js';
import { PersonGuardian } from '../people/person-guardian.entity.js';
import { Person } from '../people/person.entity.js';
import { AgendaItem } from '../meetings/agenda-item.entity.js';
import { AgendaDecision, AgendaNote } from '../meetings/agenda-minutes.entity.js';
import { CalendarFeed } from '../meetings/calendar-feed.entity.js';
import { MeetingConflictOverride } from '../meetings/meeting-conflict-override.entity.js';
import { MeetingInvitee } from '../meetings/meeting-invitee.entity.js';
import { MeetingReminder } from '../meetings/meeting-reminder.entity.js';
import { Meeting } from '../meetings/meeting.entity.js';
import { PlanAction } from '../plans/plan-action.entity.js';
import { Plan, PlanGoal, PlanReview } from '../plans/plan.entity.js';
import { RiskAssessment, RiskFactorItemEntity, SigAgeException } from '../plans/sig.entity.js';
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
  InformationCategory,
  LegalBasis,
  Case,
  CaseMember,
  CaseUnit,
  CaseStatusChange,
  Consent,
  ConsentParty,
  CaseEntry,
  Disclosure,
  OutboxEvent,
  CaseConversation,
  CaseMessage,
  MessageRead,
  MessageUnseen,
  Notice,
  NoticeRecipient,
  ConcernReport,
  ConcernStatusChange,
  ConcernExtension,
  ConcernReminder,
  Notification,
  Meeting,
  MeetingInvitee,
  MeetingConflictOverride,
  MeetingReminder,
  AgendaItem,
  AgendaNote,
  AgendaDecision,
  CalendarFeed,
  Plan,
  PlanGoal,
  PlanAction,
  PlanReview,
  SigAgeException,
  RiskFactorItemEntity,
  RiskAssessment,
  RetentionRule,
  LegalHold,
];
