import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { Nested, Optional } from '@samverka/contracts';
import { plainToInstance } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  validate,
} from 'class-validator';
import { Problem } from './problems.js';
import { createValidationPipe, fieldErrorsOf, notAnObject } from './validation.js';

class Guardian {
  @IsString() @MinLength(2) @MaxLength(10) name!: string;
}

class Period {
  @IsInt() from!: number;
  @IsInt() to!: number;
}

class Request {
  @IsString() @MinLength(20) @MaxLength(200) token!: string;
  @Optional() @IsInt() @Min(10) @Max(18) age?: number;
  @Optional() @IsArray() @IsInt({ each: true }) @Min(0, { each: true }) minutes?: number[];
  @Optional() @IsArray() @ArrayNotEmpty() @IsIn(['a', 'b'], { each: true }) kinds?: string[];
  @Optional()
  @IsArray()
  @Nested(() => Guardian, { each: true })
  guardians?: Guardian[];
  @Optional() @Nested(() => Period) period?: Period;
}

const BODY: ArgumentMetadata = { type: 'body', metatype: Request };
const TOKEN = 'a-token-of-twenty-or-more';

/** The fields and reasons of the 400 the pipe answers `body` with. */
async function refusal(body: unknown) {
  try {
    await createValidationPipe().transform(body, BODY);
  } catch (error) {
    if (error instanceof Problem && error.getStatus() === 400)
      return { detail: error.message, errors: error.errors };
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('validation errors: one true reason per field', () => {
  it('gives only the kind when a value is of the wrong kind, not its range or length', async () => {
    expect((await refusal({ token: TOKEN, age: '15' })).errors).toEqual([
      { field: 'age', reasons: ['age must be an integer number'] },
    ]);
    expect((await refusal({ token: 12345 })).errors).toEqual([
      { field: 'token', reasons: ['token must be a string'] },
    ]);
    expect((await refusal({ token: TOKEN, minutes: ['5'] })).errors).toEqual([
      { field: 'minutes', reasons: ['each value in minutes must be an integer number'] },
    ]);
    expect((await refusal({ token: TOKEN, kinds: 'a' })).errors).toEqual([
      { field: 'kinds', reasons: ['kinds must be an array'] },
    ]);
  });

  it('keeps every reason of a value of the right kind', async () => {
    expect((await refusal({ token: TOKEN, age: 30 })).errors).toEqual([
      { field: 'age', reasons: ['age must not be greater than 18'] },
    ]);
    expect((await refusal({ token: TOKEN, kinds: [] })).errors).toEqual([
      { field: 'kinds', reasons: ['kinds should not be empty'] },
    ]);
  });

  it('says a missing required field is required, and only that, nested ones by their path', async () => {
    const missing = await refusal({});
    expect(missing.errors).toEqual([{ field: 'token', reasons: ['token is required'] }]);
    expect(missing.detail).toBe('token is required');
    expect((await refusal({ token: TOKEN, guardians: [{}] })).errors).toEqual([
      { field: 'guardians.0.name', reasons: ['guardians.0.name is required'] },
    ]);
    // No body at all is a body without its fields.
    expect((await refusal(undefined)).errors).toEqual([
      { field: 'token', reasons: ['token is required'] },
    ]);
  });

  it('refuses null for a required field as null, not for its kind (found by a black-box probe)', async () => {
    expect((await refusal({ token: null })).errors).toEqual([
      { field: 'token', reasons: ['token must not be null'] },
    ]);
  });

  it('keeps null and unknown fields as they were', async () => {
    expect((await refusal({ token: TOKEN, age: null, extra: 1 })).errors).toEqual([
      { field: 'extra', reasons: ['extra is not a known field'] },
      { field: 'age', reasons: ['age must not be null'] },
    ]);
  });

  it('refuses an array where the body must be an object, whatever it holds', async () => {
    for (const body of [[], [{ token: TOKEN }], ['a']]) {
      expect(await refusal(body)).toEqual({
        detail: 'the body must be a JSON object, not an array',
        errors: [{ field: '(body)', reasons: ['the body must be a JSON object, not an array'] }],
      });
    }
    expect(notAnObject('x')).toBe('a string');
    expect(notAnObject(5)).toBe('a number');
    expect(notAnObject({})).toBeNull();
  });

  it('refuses anything but an object where an object is nested, naming the field, and only that', async () => {
    for (const [period, kind] of [
      [[{ from: 1, to: 2 }], 'an array'],
      [[], 'an array'],
      [[{ from: 'x' }], 'an array'],
      ['x', 'a string'],
      [5, 'a number'],
      [true, 'a boolean'],
    ] as const) {
      expect(await refusal({ token: TOKEN, period })).toEqual({
        detail: `period must be an object, not ${kind}`,
        errors: [{ field: 'period', reasons: [`period must be an object, not ${kind}`] }],
      });
    }
    expect((await refusal({ token: TOKEN, period: null })).errors).toEqual([
      { field: 'period', reasons: ['period must not be null'] },
    ]);
    // What an object holds is still read field by field.
    expect((await refusal({ token: TOKEN, period: { from: 1, to: '2' } })).errors).toEqual([
      { field: 'period.to', reasons: ['to must be an integer number'] },
    ]);
  });

  it('names each value of a list of objects that is not one by its place, and only it', async () => {
    expect(
      (
        await refusal({
          token: TOKEN,
          guardians: [{ name: 'Anna' }, [{ name: 'Bo' }], 'Cy', null, [], { name: 5 }],
        })
      ).errors,
    ).toEqual([
      { field: 'guardians.1', reasons: ['guardians.1 must be an object, not an array'] },
      { field: 'guardians.2', reasons: ['guardians.2 must be an object, not a string'] },
      { field: 'guardians.3', reasons: ['guardians.3 must be an object, not null'] },
      { field: 'guardians.4', reasons: ['guardians.4 must be an object, not an array'] },
      { field: 'guardians.5.name', reasons: ['name must be a string'] },
    ]);
    // Not a list at all: that is all there is to say, not what its fields would be.
    expect((await refusal({ token: TOKEN, guardians: { name: 5 } })).errors).toEqual([
      { field: 'guardians', reasons: ['guardians must be an array'] },
    ]);
    await expect(
      createValidationPipe().transform(
        { token: TOKEN, guardians: [{ name: 'Anna' }], period: { from: 1, to: 2 } },
        BODY,
      ),
    ).resolves.toMatchObject({ guardians: [{ name: 'Anna' }], period: { from: 1, to: 2 } });
  });

  it('lets a valid body through', async () => {
    await expect(
      createValidationPipe().transform({ token: TOKEN, age: 15, kinds: ['a'] }, BODY),
    ).resolves.toMatchObject({ token: TOKEN, age: 15 });
  });

  it('reads errors of a plain validate() (a socket payload) the same way', async () => {
    const errors = await validate(Object.assign(new Request(), { age: '15' }));
    expect(fieldErrorsOf(errors)).toEqual([
      { field: 'token', reasons: ['token is required'] },
      { field: 'age', reasons: ['age must be an integer number'] },
    ]);
    const nested = await validate(
      plainToInstance(Request, { token: TOKEN, period: [{ from: 1, to: 2 }], guardians: [[]] }),
    );
    expect(fieldErrorsOf(nested)).toEqual([
      { field: 'guardians.0', reasons: ['guardians.0 must be an object, not an array'] },
      { field: 'period', reasons: ['period must be an object, not an array'] },
    ]);
  });
});
