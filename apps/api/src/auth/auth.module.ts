import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AuditModule } from '../audit/audit.module.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
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
      // A key object, made once: given a string, jsonwebtoken tries it as a public key first and
      // builds a secret key from it on every verify (a third of a request's CPU under load).
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwtAccessSecret)),
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AccessTokenVerifier,
    PrincipalService,
    SessionService,
    LoginThrottleService,
    PasswordAuthenticator,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [AccessTokenVerifier, SessionService, PrincipalService, LoginThrottleService, JwtModule],
})
export class AuthModule {}
