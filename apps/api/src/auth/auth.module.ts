import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuthController } from './auth.controller.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { PasswordAuthenticator } from './password-authenticator.js';
import { PrincipalService } from './principal.service.js';
import { SessionService } from './session.service.js';

@Global()
@Module({
  imports: [
    AuditModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtAccessSecret }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    PrincipalService,
    SessionService,
    LoginThrottleService,
    PasswordAuthenticator,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [SessionService, PrincipalService],
})
export class AuthModule {}
