import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';
import { loadOrCreateSecrets } from './secrets.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** The environment variables the app reads; each is documented in the README. */
class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional() @IsString() @MinLength(1) DATA_DIR?: string;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_ACCESS_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(30) @Max(86400) ACCESS_TOKEN_TTL_SECONDS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(90 * 86400)
  REFRESH_TOKEN_TTL_SECONDS?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional()
  @Matches(/^\d+(kb|mb)$/i, { message: 'must look like 100kb or 1mb' })
  BODY_LIMIT?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  /** The reverse proxies whose X-Forwarded-For is believed: addresses, subnets or `loopback`. */
  @IsOptional()
  @Matches(/^[\w.:/]+(\s*,\s*[\w.:/]+)*$/, {
    message: 'must be comma-separated addresses, subnets or names such as loopback',
  })
  TRUST_PROXY?: string;
  /** Where users reach the hub, for links that leave it (calendar feeds): taken over the request's Host. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s):// address' })
  PUBLIC_URL?: string;
  @IsOptional() @IsIn(['memory', 'postgres', 'redis']) SOCKET_ADAPTER?: string;
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(60_000) OUTBOX_RELAY_INTERVAL_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 86400)
  NOTICE_ESCALATION_SECONDS?: number;
  @IsOptional()
  @Transform(toBool)
  @IsIn([true, false], { message: 'must be true or false' })
  SEED_DEMO?: boolean;
  @IsOptional()
  @Transform(toBool)
  @IsIn([true, false], { message: 'must be true or false' })
  MIGRATE_ON_START?: boolean;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) LOGIN_WINDOW_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) LOCKOUT_THRESHOLD?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1440) LOCKOUT_MINUTES?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  AUDIT_CHAINS_PER_MUNICIPALITY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(86400) REMINDER_INTERVAL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(604800) RETENTION_INTERVAL_SECONDS?: number;
}

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** `null`: the embedded database (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  jwtAccessSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: string;
  bodyLimit: string;
  corsOrigins: string[];
  /**
   * The proxies trusted to say who the client is (`X-Forwarded-For`); empty: none, the client is
   * the connection's own address (a header anyone can send does not move a sign-in limit).
   */
  trustProxy: string[];
  /** The hub's public address without a trailing slash, or null to take it from each request. */
  publicUrl: string | null;
  seedDemo: boolean;
  migrateOnStart: boolean;
  login: {
    maxAttemptsPerAccount: number;
    maxAttemptsPerAddress: number;
    windowSeconds: number;
    lockoutThreshold: number;
    lockoutMinutes: number;
  };
  auditChainsPerMunicipality: number;
  realtime: {
    /** How replicas share socket traffic: `memory` (one process), `postgres` or `redis`. */
    adapter: 'memory' | 'postgres' | 'redis';
    redisUrl: string | null;
    relayIntervalMs: number;
    /** A notice that needs acknowledging goes to the area's coordinators after this long. */
    noticeEscalationSeconds: number;
  };
  /** How often each replica looks for deadline reminders to send; 0: never (tests run it on demand). */
  reminderIntervalSeconds: number;
  /** How often each replica applies the retention rules; 0: never (tests run it on demand). */
  retentionIntervalSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { whitelist: false, stopAtFirstError: true });
  const problems = errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property} ${message}`,
    ),
  );
  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const production = nodeEnv === 'production';
  if (production && !vars.JWT_ACCESS_SECRET) {
    problems.push('JWT_ACCESS_SECRET is required when NODE_ENV=production');
  }
  if (production && vars.SEED_DEMO === true) {
    problems.push('SEED_DEMO cannot be true when NODE_ENV=production (demo passwords are public)');
  }
  if (vars.SOCKET_ADAPTER === 'redis' && !vars.REDIS_URL) {
    problems.push('REDIS_URL is required when SOCKET_ADAPTER=redis');
  }
  if (vars.SOCKET_ADAPTER === 'postgres' && !vars.DATABASE_URL) {
    problems.push(
      'SOCKET_ADAPTER=postgres needs DATABASE_URL (the embedded database is one process)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = resolve(vars.DATA_DIR ?? '.data');
  const databaseUrl = vars.DATABASE_URL ?? null;
  const jwtAccessSecret = vars.JWT_ACCESS_SECRET ?? loadOrCreateSecrets(dataDir).jwtAccessSecret;
  return {
    nodeEnv,
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    jwtAccessSecret,
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS ?? 900,
    refreshTokenTtlSeconds: vars.REFRESH_TOKEN_TTL_SECONDS ?? 12 * 3600,
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimit: vars.BODY_LIMIT ?? '1mb',
    corsOrigins: (vars.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: (vars.TRUST_PROXY ?? '')
      .split(',')
      .map((proxy) => proxy.trim())
      .filter(Boolean),
    publicUrl: vars.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    // The demo municipality loads by default on the embedded database, never in production.
    seedDemo: vars.SEED_DEMO ?? (databaseUrl === null && !production),
    migrateOnStart: vars.MIGRATE_ON_START ?? true,
    login: {
      maxAttemptsPerAccount: vars.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT ?? 10,
      maxAttemptsPerAddress: vars.LOGIN_MAX_ATTEMPTS_PER_ADDRESS ?? 50,
      windowSeconds: vars.LOGIN_WINDOW_SECONDS ?? 900,
      lockoutThreshold: vars.LOCKOUT_THRESHOLD ?? 5,
      lockoutMinutes: vars.LOCKOUT_MINUTES ?? 15,
    },
    auditChainsPerMunicipality: vars.AUDIT_CHAINS_PER_MUNICIPALITY ?? 16,
    realtime: {
      adapter: (vars.SOCKET_ADAPTER ??
        (databaseUrl ? 'postgres' : 'memory')) as AppConfig['realtime']['adapter'],
      redisUrl: vars.REDIS_URL ?? null,
      relayIntervalMs: vars.OUTBOX_RELAY_INTERVAL_MS ?? 100,
      noticeEscalationSeconds: vars.NOTICE_ESCALATION_SECONDS ?? 4 * 3600,
    },
    reminderIntervalSeconds: vars.REMINDER_INTERVAL_SECONDS ?? (nodeEnv === 'test' ? 0 : 300),
    retentionIntervalSeconds: vars.RETENTION_INTERVAL_SECONDS ?? (nodeEnv === 'test' ? 0 : 3600),
  };
}
