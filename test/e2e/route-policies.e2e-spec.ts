import { Controller, Get, Module } from '@nestjs/common';
import {
  DiscoveryModule,
  DiscoveryService,
  MetadataScanner,
  NestFactory,
  Reflector,
} from '@nestjs/core';
import { listRoutePolicies, RoutePolicyCheck, type RouteEntry } from '@samverka/api';
import { DemoIds, personByNumber } from '../support/demo.js';
import { callMeeting } from '../support/meetings.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const describePolicy = (route: RouteEntry) =>
  route.policy === null
    ? 'NONE'
    : route.policy === 'public'
      ? 'public'
      : `${route.policy.action} ${route.policy.subject}`;

/**
 * Every route and the permission it declares. A change to this list is a permission change:
 * the snapshot makes it visible in review.
 */
describe('route policies', () => {
  let app: TestApp;
  let routes: RouteEntry[];
  beforeAll(async () => {
    app = await startTestApp();
    const nest = app.running.app;
    routes = listRoutePolicies(
      nest.get(DiscoveryService),
      nest.get(MetadataScanner),
      nest.get(Reflector),
    );
  });
  afterAll(() => app.close());

  it('gives every route a declared policy, and lists them', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((route) => route.policy === null)).toEqual([]);
    expect(
      routes.map(
        (route) => `${route.method.padEnd(6)} ${route.path.padEnd(40)} ${describePolicy(route)}`,
      ),
    ).toMatchSnapshot();
  });

  it('keeps public routes to health, readiness, the token endpoints, secret calendar feeds and the socket event map', () => {
    expect(routes.filter((route) => route.policy === 'public').map((route) => route.path)).toEqual([
      '/auth/login',
      '/auth/logout',
      '/auth/refresh',
      '/calendar/:token.ics',
      '/docs-realtime',
      '/health',
      '/ready',
    ]);
  });

  it('refuses every non-public route without a token', async () => {
    for (const route of routes.filter((entry) => entry.policy !== 'public')) {
      const path = `/api/v1${route.path.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000')}`;
      const response = await app.api.request(
        route.method,
        path,
        route.method === 'GET' ? undefined : {},
      );
      expect({ route: `${route.method} ${path}`, status: response.status }).toEqual({
        route: `${route.method} ${path}`,
        status: 401,
      });
    }
  });

  it('refuses to start an app with a route that declares no policy', async () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      open() {
        return { leaked: true };
      }
    }
    @Module({
      imports: [DiscoveryModule],
      controllers: [ForgottenController],
      providers: [RoutePolicyCheck],
    })
    class BrokenModule {}
    const broken = await NestFactory.create(BrokenModule, { logger: false, abortOnError: false });
    await expect(broken.init()).rejects.toThrow(/GET \/forgotten \(ForgottenController\.open\)/);
    await broken.close();
  });
});

describe('OpenAPI document', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  interface PageSchema {
    $ref?: string;
    type?: string;
    properties?: { items?: unknown; nextCursor?: unknown };
  }

  interface Operation {
    security?: unknown[];
    requestBody?: { content: Record<string, { schema: unknown }> };
    responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  }

  it('is served at /api/docs-json and documents every route with responses, schemas and auth', async () => {
    const nest = app.running.app;
    const routes = listRoutePolicies(
      nest.get(DiscoveryService),
      nest.get(MetadataScanner),
      nest.get(Reflector),
    );
    const response = await app.api.get<{
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties?: object }> };
    }>('/api/docs-json');
    expect(response.status).toBe(200);
    const document = response.body;
    for (const route of routes) {
      const prefix = ['/health', '/ready', '/docs-realtime'].includes(route.path)
        ? '/api'
        : '/api/v1';
      const path = `${prefix}${route.path.replace(/:([a-zA-Z]+)/g, '{$1}')}`;
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      expect({ path, documented: operation !== undefined }).toEqual({ path, documented: true });
      const success = Object.entries(operation!.responses).filter(([status]) =>
        status.startsWith('2'),
      );
      expect({ path, success: success.length }).toEqual({ path, success: 1 });
      const [status, body] = success[0]!;
      if (status !== '204')
        expect({ path, schema: body.content?.['application/json']?.schema }).toEqual({
          path,
          schema: expect.anything(),
        });
      expect({ path, secured: (operation!.security ?? []).length > 0 }).toEqual({
        path,
        secured: route.policy !== 'public',
      });
      if (
        ['POST', 'PATCH', 'PUT'].includes(route.method) &&
        !path.endsWith('/disable') &&
        !path.endsWith('/acknowledge') &&
        !path.endsWith('/calendar-feed') &&
        !path.match(/enable|unlock/)
      ) {
        expect({ path, body: operation!.requestBody !== undefined }).toEqual({ path, body: true });
        // And the body's schema names its fields (a subclass once came out empty).
        const ref = (
          operation!.requestBody?.content['application/json']?.schema as { $ref?: string }
        )?.$ref;
        const fields = Object.keys(
          (ref && document.components.schemas[ref.split('/').pop()!]?.properties) ?? {},
        );
        expect({ path, fields: fields.length > 0 }).toEqual({ path, fields: true });
      }
    }
    // Schemas come from the contracts' validation rules, with their properties.
    expect(Object.keys(document.components.schemas.CreatePersonRequest?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'identityNumber',
        'givenName',
        'familyName',
        'guardians',
        'protectionLevel',
      ]),
    );
    expect(document.components.schemas.ProblemDetails?.properties).toBeDefined();
    // A calendar day is documented as a date, a moment as a date-time.
    const person = document.components.schemas.UpdatePersonRequest?.properties as Record<
      string,
      { format?: string }
    >;
    expect(person.birthDate?.format).toBe('date');
    const meeting = document.components.schemas.CreateMeetingRequest?.properties as Record<
      string,
      { format?: string }
    >;
    expect(meeting.startsAt?.format).toBe('date-time');
    // A field is documented by its rules, never by its TypeScript type (no `Object` or `Array`
    // schemas), and as nullable only where null clears a value.
    expect(JSON.stringify(document.components.schemas)).not.toMatch(
      /#\/components\/schemas\/(Object|Array)"/,
    );
    const settings = document.components.schemas.UpdateMunicipalSettingsRequest
      ?.properties as Record<string, { type?: string; nullable?: boolean }>;
    expect(settings.youthConsentAge).toEqual({ type: 'integer', minimum: 10, maximum: 18 });
    const clears = person as Record<string, { nullable?: boolean }>;
    expect([clears.address?.nullable, clears.givenName?.nullable]).toEqual([true, undefined]);
  });

  it('documents every list as a page, { items, nextCursor } with ?limit=&cursor=', async () => {
    const document = (
      await app.api.get<{
        paths: Record<
          string,
          Record<
            string,
            Operation & {
              parameters?: { name: string; in: string }[];
              responses: Record<string, { content?: Record<string, { schema?: PageSchema }> }>;
            }
          >
        >;
        components: { schemas: Record<string, PageSchema> };
      }>('/api/docs-json')
    ).body;
    // A response given by reference (`MessageHistory`) is looked up among the components.
    const resolve = (schema: PageSchema) =>
      schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!]! : schema;
    const lists = Object.entries(document.paths).flatMap(([path, item]) => {
      const schema = item.get?.responses['200']?.content?.['application/json']?.schema;
      return schema
        ? [{ path, schema: resolve(schema), parameters: item.get!.parameters ?? [] }]
        : [];
    });
    const bare = lists.filter(({ schema }) => schema.type === 'array').map(({ path }) => path);
    expect(bare).toEqual([]);
    const pages = lists.filter(({ schema }) => schema.properties?.items !== undefined);
    expect(pages.map(({ path }) => path)).toEqual(
      expect.arrayContaining([
        '/api/v1/cases',
        '/api/v1/cases/{id}/consents',
        '/api/v1/categories',
        '/api/v1/cases/{id}/messages',
      ]),
    );
    const undocumented = pages
      .filter(({ schema, parameters }) => {
        const query = parameters.filter((p) => p.in === 'query').map((p) => p.name);
        return (
          !query.includes('limit') ||
          !query.includes('cursor') ||
          schema.properties?.nextCursor === undefined
        );
      })
      .map(({ path }) => path);
    expect(undocumented).toEqual([]);
  });

  it('refuses a cursor it did not make on every list, with a 400 naming cursor (never a 500)', async () => {
    const document = (
      await app.api.get<{
        paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
      }>('/api/docs-json')
    ).body;
    const paged = Object.entries(document.paths)
      .filter(([, item]) =>
        item.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'),
      )
      .map(([path]) => path);
    expect(paged.length).toBeGreaterThan(20);
    const [coordinator, admin, auditor, caseHolder, socialWorker] = await Promise.all(
      [
        'samordnare@demo.test',
        'admin@demo.test',
        'revisor@demo.test',
        'sig@demo.test',
        'socialsekreterare@demo.test',
      ].map((email) => app.as(email)),
    );
    const users = [coordinator!, admin!, auditor!, caseHolder!, socialWorker!];
    // A record behind every list that belongs to one, so that the list itself answers.
    const ids = await DemoIds.load(admin!);
    const elias = await personByNumber(caseHolder!, '20110314-2384');
    const kase = await caseHolder!.post<{ id: string }>('/api/v1/cases', {
      kind: 'sig',
      personId: elias.id,
      areaId: ids.areaNorra,
    });
    expect(kase.status).toBe(201);
    const entry = await caseHolder!.post<{ id: string }>(`/api/v1/cases/${kase.body.id}/entries`, {
      category: 'general',
      body: 'Anteckning att bläddra bland',
    });
    expect(entry.status).toBe(201);
    const start = new Date(Date.now() + 30 * 86_400_000);
    const meeting = await callMeeting(coordinator!, {
      areaId: ids.areaNorra,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
    });
    expect(meeting.status).toBe(201);
    const records: Record<string, string> = {
      cases: kase.body.id,
      entries: entry.body.id,
      meetings: meeting.body.id,
      people: elias.id,
    };
    // Cursors no list makes: wrong arity, or keys of kinds no list sorts by in that place (a
    // count past 32 bits, a null, a list, text where an id goes).
    const forged = [['a', 'b', 'c'], ['x', 'y'], [1, 2], [2 ** 40], [null], [['x']]].map((keys) =>
      Buffer.from(JSON.stringify(keys)).toString('base64url'),
    );
    // A moment that does not exist: refused where keys are moments; a list sorted by name and id
    // may take it as the text it is, but none may fail on it.
    const impossible = Buffer.from(
      JSON.stringify(['2027-02-30T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');
    const accepted: string[] = [];
    const neverReached: string[] = [];
    for (const path of paged) {
      const url = path.replace(/\/([a-z-]+)\/\{[a-zA-Z]+\}/g, (_, parent: string) => {
        expect({ path, record: records[parent] }).toEqual({ path, record: expect.any(String) });
        return `/${parent}/${records[parent]}`;
      });
      let refusedNamingCursor = 0;
      for (const cursor of [...forged, impossible]) {
        for (const user of users) {
          const { status, body } = await user.get<{ errors?: { field: string }[] }>(
            `${url}?cursor=${cursor}`,
          );
          expect({ path, cursor, serverError: status >= 500 }).toEqual({
            path,
            cursor,
            serverError: false,
          });
          if (status === 200 && cursor !== impossible) accepted.push(`${path} ${cursor}`);
          if (status === 400) {
            expect({ path, fields: body.errors?.map((e) => e.field) }).toEqual({
              path,
              fields: ['cursor'],
            });
            if (cursor !== impossible) refusedNamingCursor += 1;
          }
        }
      }
      // Someone may read the list, and they were refused each forged cursor.
      if (refusedNamingCursor < forged.length) neverReached.push(path);
    }
    expect(accepted).toEqual([]);
    expect(neverReached).toEqual([]);
  });

  it('serves the Swagger UI at /api/docs', async () => {
    const page = await fetch(`${app.api.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });
});
