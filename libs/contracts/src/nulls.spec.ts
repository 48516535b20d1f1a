import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import * as contracts from './index.js';
import { IS_NOT_NULL, SCHEMA_CONVERTERS } from './validators.js';

type Class = new () => object;

const rulesOf = (type: Class) =>
  getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);

/** The classes a client's fields are read into: bodies, queries, socket payloads, and what they nest. */
function requestClasses(): [string, Class][] {
  const found = new Map<string, Class>();
  const visit = (type: Class) => {
    if (found.has(type.name)) return;
    found.set(type.name, type);
    // A nested class is what class-transformer makes of an object (or a list's object) there.
    for (const rule of rulesOf(type)) {
      if (rule.type !== ValidationTypes.NESTED_VALIDATION) continue;
      const sample = plainToInstance(type, { [rule.propertyName]: rule.each ? [{}] : {} });
      const value = (sample as Record<string, unknown>)[rule.propertyName];
      const nested = (Array.isArray(value) ? value[0] : value) as object | undefined;
      if (nested && nested.constructor !== Object) visit(nested.constructor as Class);
    }
  };
  for (const [name, value] of Object.entries(contracts)) {
    if (
      typeof value === 'function' &&
      /(Request|Query|Input|SendMessage)$/.test(name) &&
      rulesOf(value as Class).length > 0
    )
      visit(value as Class);
  }
  return [...found];
}

/** Each field of a class, with whether it may be left out and whether null clears it. */
function fieldsOf(type: Class): { field: string; optional: boolean; nullable: boolean }[] {
  const byField = new Map<string, ReturnType<typeof rulesOf>>();
  for (const rule of rulesOf(type)) {
    byField.set(rule.propertyName, [...(byField.get(rule.propertyName) ?? []), rule]);
  }
  return [...byField].map(([field, rules]) => {
    const optional = rules.some((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION);
    return {
      field,
      optional,
      nullable: optional && !rules.some((rule) => rule.name === IS_NOT_NULL),
    };
  });
}

const classes = requestClasses();
const fields = classes.flatMap(([name, type]) =>
  fieldsOf(type).map((field) => ({ name, type, ...field })),
);

/** The fields where null deliberately clears a value; any other field refuses null. */
const NULL_CLEARS = [
  'UpdateMeetingRequest.place',
  'UpdateMeetingRequest.videoLink',
  'UpdatePersonRequest.address',
  'UpdatePersonRequest.gender',
  'UpdatePersonRequest.school',
];

describe('null in a request', () => {
  it('finds the request classes and what they nest (the tables below are not empty)', () => {
    const names = classes.map(([name]) => name);
    for (const expected of [
      'SearchPeopleRequest',
      'UpdatePersonRequest',
      'GuardianInput',
      'UpdateMunicipalSettingsRequest',
      'UpdateConcernRequest',
      'PageQuery',
      'SocketSendMessage',
      'ConsentScope',
      'DisclosureReceiver',
    ]) {
      expect(names).toContain(expected);
    }
    expect(fields.filter((field) => field.optional).length).toBeGreaterThan(100);
  });

  it('clears a value only where that is meant, each documented as nullable', () => {
    const nullable = fields.filter((field) => field.nullable);
    expect(nullable.map(({ name, field }) => `${name}.${field}`).sort()).toEqual(NULL_CLEARS);
    for (const { type, field } of nullable) {
      const schema = targetConstructorToSchema(type, {
        additionalConverters: SCHEMA_CONVERTERS,
      }) as {
        properties: Record<string, { nullable?: boolean }>;
        required?: string[];
      };
      expect({ field, nullable: schema.properties[field]?.nullable }).toEqual({
        field,
        nullable: true,
      });
      expect(schema.required ?? []).not.toContain(field);
    }
  });

  it('is never let through by class-validator’s @IsOptional (which takes null for absent)', () => {
    const loose = classes.flatMap(([name, type]) =>
      rulesOf(type)
        .filter((rule) => rule.name === 'isOptional')
        .map((rule) => `${name}.${rule.propertyName}`),
    );
    expect(loose).toEqual([]);
  });

  const refusing = fields
    .filter((field) => !field.nullable)
    .map(({ name, field, optional, type }) => [name, field, optional, type] as const);

  it.each(refusing)('%s.%s refuses null, naming the field', async (...row) => {
    const [, field, optional, type] = row;
    const errors = await validate(Object.assign(new type(), { [field]: null }));
    const own = errors.find((error) => error.property === field);
    expect(own).toBeDefined();
    // An optional field says what is wrong in so many words; a required one fails its type.
    if (optional) expect(own!.constraints?.[IS_NOT_NULL]).toBe(`${field} must not be null`);
  });

  it.each(NULL_CLEARS.map((entry) => entry.split('.') as [string, string]))(
    '%s.%s takes null (it clears the value)',
    async (name, field) => {
      const type = classes.find(([candidate]) => candidate === name)![1];
      const errors = await validate(Object.assign(new type(), { [field]: null }));
      expect(errors.find((error) => error.property === field)).toBeUndefined();
    },
  );

  it.each(
    fields
      .filter((field) => field.optional)
      .map(({ name, field, type }) => [name, field, type] as const),
  )('%s.%s may still be left out', async (...row) => {
    const [, field, type] = row;
    const errors = await validate(new type());
    expect(errors.find((error) => error.property === field)).toBeUndefined();
  });
});
