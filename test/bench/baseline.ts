import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';

/** The floor the API is compared with: NestJS on the same express adapter, one route, no work. */
@Controller()
class HelloController {
  @Get('hello')
  hello(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

export interface Baseline {
  origin: string;
  path: string;
  close(): Promise<void>;
}

export async function startBaseline(): Promise<Baseline> {
  const app = await NestFactory.create<NestExpressApplication>(HelloModule, new ExpressAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, path: '/hello', close: () => app.close() };
}
