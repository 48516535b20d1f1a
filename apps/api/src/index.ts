/** What the end-to-end suite and tools may use of the app: its factory and its database parts. */
export { createApp, type CreateAppOptions, type RunningApp } from './app.factory.js';
export { loadConfig, ConfigError, type AppConfig } from './config/config.js';
export type { DatabaseTarget } from './database/data-source.js';
export { createDataSource } from './database/data-source.js';
export { openEmbeddedDatabase } from './database/embedded.js';
export { migrate, pendingSchemaChanges } from './database/migrate.js';
export { AuditService } from './audit/audit.service.js';
export { verifyAuditChains } from './audit/audit-verifier.js';
export { DEMO_PASSWORD, DEMO_SPEC, DEMO_USERS, seedDemo } from './database/seed-demo.js';
export {
  personnummer,
  seedMunicipality,
  type MunicipalitySpec,
} from './database/seed-municipality.js';
export { hashPassword } from './auth/passwords.js';
export { SessionService } from './auth/session.service.js';
export { PrincipalService } from './auth/principal.service.js';
export { MessagesService } from './messaging/messages.service.js';
export { listRoutePolicies, type RouteEntry } from './auth/route-policies.js';
export { RoutePolicyCheck } from './auth/route-policy.check.js';
export { OutboxRelay } from './realtime/outbox-relay.js';
export { RealtimeGateway } from './realtime/realtime.gateway.js';
export { NoticesService } from './notices/notices.service.js';
export { ConcernRemindersService } from './concerns/concern-reminders.service.js';
export { MeetingRemindersService } from './meetings/meeting-reminders.service.js';
export { NotificationsService } from './notifications/notifications.service.js';
export { OutboxService } from './outbox/outbox.service.js';
export { RetentionService, type RetentionOutcome } from './retention/retention.service.js';
