import { Initial1795433727146 } from './1795433727146-initial.js';
import { CasesAndSharing1795436054090 } from './1795436054090-cases-and-sharing.js';
import { CaseListIndex1795439846880 } from './1795439846880-case-list-index.js';
import { Realtime1796282696066 } from './1796282696066-realtime.js';
import { Concerns1796282985585 } from './1796282985585-concerns.js';
import { MeetingsAndPlans1796282976862 } from './1796282976862-meetings-and-plans.js';
import { MeetingReminders1796285365630 } from './1796285365630-meeting-reminders.js';
import { Retention1796285440280 } from './1796285440280-retention.js';
import { ConsentChecksCachedPlans1796292900000 } from './1796292900000-consent-checks-cached-plans.js';
import { LegalBasisAge1796330000000 } from './1796330000000-legal-basis-age.js';
import { NoticeEscalationRecipients1796330100000 } from './1796330100000-notice-escalation-recipients.js';
import { ConsentExpiryIndex1796340000000 } from './1796340000000-consent-expiry-index.js';
import { ChildReportAge1796350000000 } from './1796350000000-child-report-age.js';
import { AgendaOwnerUnit1796360000000 } from './1796360000000-agenda-owner-unit.js';
import { MeetingCaseGate1796370000000 } from './1796370000000-meeting-case-gate.js';
import { ConsentYouthAge1796380000000 } from './1796380000000-consent-youth-age.js';
import { DisabledCalendarFeeds1796390000000 } from './1796390000000-disabled-calendar-feeds.js';
import { ConsentLapseAnnounced1796400000000 } from './1796400000000-consent-lapse-announced.js';
import { EmergencyAccess1796410000000 } from './1796410000000-emergency-access.js';
import { ProtectedPeopleIndex1796420000000 } from './1796420000000-protected-people-index.js';
import { MessageUnseen1796430000000 } from './1796430000000-message-unseen.js';
import { NoticeConsents1796440000000 } from './1796440000000-notice-consents.js';

/** Every migration, in order. A new one is generated with `npm run migration:generate -- <Name>`. */
export const MIGRATIONS = [
  Initial1795433727146,
  CasesAndSharing1795436054090,
  CaseListIndex1795439846880,
  Realtime1796282696066,
  Concerns1796282985585,
  MeetingsAndPlans1796282976862,
  MeetingReminders1796285365630,
  Retention1796285440280,
  ConsentChecksCachedPlans1796292900000,
  LegalBasisAge1796330000000,
  NoticeEscalationRecipients1796330100000,
  ConsentExpiryIndex1796340000000,
  ChildReportAge1796350000000,
  AgendaOwnerUnit1796360000000,
  MeetingCaseGate1796370000000,
  ConsentYouthAge1796380000000,
  DisabledCalendarFeeds1796390000000,
  ConsentLapseAnnounced1796400000000,
  EmergencyAccess1796410000000,
  ProtectedPeopleIndex1796420000000,
  MessageUnseen1796430000000,
  NoticeConsents1796440000000,
];
