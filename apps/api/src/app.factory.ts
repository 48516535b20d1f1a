import 'reflect-metadata';
import { type INestApplication, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { AuditService } from './audit/audit.service.js';
import { AppLogger } from './common/app-logger.js';
import { requireJsonBodies } from './common/json-bodies.js';
import { setCursorKey } from './common/pagination.js';
import { createValidationPipe } from './common/validation.js';
import { buildOpenApiDocument } from './common/openapi.js';
import { loadConfig, type AppConfig } from './config/config.js';
import type { DatabaseTarget } from './database/data-source.js';
import { migrate } from './database/migrate.js';
import { openDatabase } from './database/open-database.js';
import { seedDemo } from './database/seed-demo.js';
import { HubIoAdapter } from './realtime/hub-io.adapter.js';
import { answerOutsideTheApi } from './common/problem-details.filter.js';

export interface CreateAppOptions {
  /** Defaults to the validated environment. */
  config?: AppConfig;
  /** Defaults to the configured database (opened here, closed by `close`). */
  database?: DatabaseTarget;
}

export interface RunningApp {
  app: INestApplication;
  config: AppConfig;
  database: DatabaseTarget;
  dataSource: DataSource;
  /** Listens on `port` (default: the configured one; 0 picks a free port) and returns the base URL. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the whole API as it runs in production: used by `main.ts` and by the end-to-end tests,
 * so the tests exercise the same pipes, guards, filters and database as users do.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<RunningApp> {
  const config = options.config ?? loadConfig();
  // List cursors are signed with a key every replica derives alike from the JWT secret.
  setCursorKey(config.jwtAccessSecret);
  const database = options.database ?? (await openDatabase(config));
  try {
    if (config.migrateOnStart) await migrate(database);
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(config, database),
      {
        bufferLogs: true,
        bodyParser: false,
        abortOnError: false,
      },
    );
    app.useLogger(app.get(AppLogger));
    app.use(requireJsonBodies);
    app.useBodyParser('json', { limit: config.bodyLimit });
    // Who the client is: the connection's address unless it comes through a configured proxy.
    app.set('trust proxy', config.trustProxy.length > 0 ? config.trustProxy : false);
    app.disable('x-powered-by');
    app.setGlobalPrefix('api');
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    app.useGlobalPipes(createValidationPipe());
    const sockets = new HubIoAdapter(app, config);
    await sockets.connect();
    app.useWebSocketAdapter(sockets);
    if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins });
    SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'api/docs-json',
      swaggerOptions: { persistAuthorization: true },
    });
    await app.init();
    answerOutsideTheApi(app);
    const dataSource = app.get<DataSource>(getDataSourceToken());
    if (config.seedDemo) await seedDemo(dataSource, app.get(AuditService));
    return {
      app,
      config,
      database,
      dataSource,
      async listen(port = config.port) {
        await app.listen(port, config.host);
        const address = app.getHttpServer().address() as { port: number };
        return `http://localhost:${address.port}`;
      },
      async close() {
        await app.close();
        if (!options.database) await database.close();
      },
    };
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
}
