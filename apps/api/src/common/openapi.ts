import { applyDecorators, type INestApplication, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiQuery,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { ProblemDetails, SCHEMA_CONVERTERS } from '@samverka/contracts';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/** A `{ items, nextCursor }` page of `model`. */
export function ApiPage(
  model: Type<unknown>,
  description = 'One page; pass nextCursor as cursor for the next',
) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true },
        },
      },
    }),
  );
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid input: `errors` lists each field and why',
  '404': 'Not found, or not visible to you',
  '413': 'Request body too large',
};

/**
 * The OpenAPI document, generated from the code: routes from the controllers, schemas from the
 * class-validator rules of the contracts (the same rules that validate requests).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Samverka API')
    .setDescription(
      'The SSPF collaboration hub: school, social services, police and leisure. Everything shared ' +
        'about a young person is secret unless a consent or a statutory basis allows it; the API ' +
        'enforces that on every output. Errors are RFC 9457 problem details. Lists use cursor ' +
        'pagination (`?limit=&cursor=` → `{ items, nextCursor }`).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: SCHEMA_CONVERTERS,
  });
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    ...(schemas as NonNullable<OpenAPIObject['components']>['schemas']),
  };
  const problemRef = { $ref: getSchemaPath(ProblemDetails) };
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as unknown[]) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation))
        continue;
      const responses = (operation as { responses: Record<string, unknown> }).responses;
      for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
        responses[status] ??= {
          description,
          content: { 'application/problem+json': { schema: problemRef } },
        };
      }
    }
  }
  return document;
}

/** Documents a query-string DTO's properties as query parameters, from its validation rules. */
export function ApiQueryFrom(model: Type<unknown>) {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: SCHEMA_CONVERTERS,
  });
  const schema = schemas[model.name] as
    { properties?: Record<string, object>; required?: string[] } | undefined;
  const decorators = Object.entries(schema?.properties ?? {}).map(([name, property]) =>
    ApiQuery({ name, required: schema?.required?.includes(name) ?? false, schema: property }),
  );
  return applyDecorators(...decorators);
}
