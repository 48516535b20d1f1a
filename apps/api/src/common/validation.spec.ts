import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { Optional } from '@samverka/contracts';
import { Type } from 'class-transformer';
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
  ValidateNested,
  validate,
} from 'class-validator';
import { Problem } from './problems.js';
import { createValidationPipe, fieldErrorsOf, notAnObject } from './validation.js';

class Guardian {
  @IsString() @MinLength(2) @MaxLength(10) name!: string;
}

class Request {
  @IsString() @MinLength(20) @MaxLength(200) token!: string;
  @Optional() @IsInt() @Min(10) @Max(18) age?: number;
  @Optional() @IsArray() @IsInt({ each: true }) @Min(0, { each: true }) minutes?: number[];
  @Optional() @IsArray() @ArrayNotEmpty() @IsIn(['a', 'b'], { each: true }) kinds?: string[];
  @Optional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Guardian)
  guardians?: Guardian[];
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
  });
});
