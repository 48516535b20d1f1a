import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { logUrl } from './common/log-url.js';
import { AuditModule } from './audit/audit.module.js';
import { CasesModule } from './cases/cases.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { ConcernsModule } from './concerns/concerns.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { MeetingsModule } from './meetings/meetings.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { PlansModule } from './plans/plans.module.js';
import { SharingModule } from './sharing/sharing.module.js';
import { MessagingModule } from './messaging/messaging.module.js';
import { NoticesModule } from './notices/notices.module.js';
import { RealtimeCoreModule, RealtimeModule } from './realtime/realtime.module.js';
import { AuthModule } from './auth/auth.module.js';
import { RoutePolicyCheck } from './auth/route-policy.check.js';
import { assignRequestId } from './common/request-id.js';
import { AppLogger } from './common/app-logger.js';
import { UndeclaredInputInterceptor } from './common/undeclared-input.interceptor.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.js';
import { dataSourceOptions, type DatabaseTarget } from './database/data-source.js';
import { HealthModule } from './health/health.module.js';
import { OrganisationModule } from './organisation/organisation.module.js';
import { PeopleModule } from './people/people.module.js';
import { UsersModule } from './users/users.module.js';

/** The composition root: configuration, database, logging, the error format, and the features. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: assignRequestId,
            // Never personal data or credentials in logs: bodies are not logged, and these are cut.
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'res.headers["set-cookie"]',
              ],
              censor: '[redacted]',
            },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: logUrl(req.url),
              }),
            },
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(database)),
        DiscoveryModule,
        AuditModule,
        AuthModule,
        HealthModule,
        OrganisationModule,
        UsersModule,
        PeopleModule,
        OutboxModule,
        CatalogModule,
        CasesModule,
        SharingModule,
        RealtimeCoreModule,
        MessagingModule,
        NoticesModule,
        RealtimeModule,
        NotificationsModule,
        ConcernsModule,
        ReportsModule,
        RetentionModule,
        MeetingsModule,
        PlansModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: UndeclaredInputInterceptor },
        RoutePolicyCheck,
        AppLogger,
      ],
    };
  }
}
