import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { HasText, Optional } from './validators.js';
import { ROLES, USER_STATUSES, type Role, type UserStatus } from './enums.js';

export const MIN_PASSWORD_LENGTH = 12;

export class UserResponse {
  @IsUUID() id!: string;
  @IsEmail() email!: string;
  @IsString() displayName!: string;
  @IsArray() @IsIn(ROLES, { each: true }) roles!: Role[];
  @IsUUID() unitId!: string;
  @IsArray() @IsUUID('all', { each: true }) areaIds!: string[];
  @IsIn(USER_STATUSES) status!: UserStatus;
  /** Set while the account is locked after repeated failed logins. */
  @IsOptional() @IsDateString() lockedUntil!: string | null;
  @IsDateString() createdAt!: string;
}

export class CreateUserRequest {
  @IsEmail() @MaxLength(254) email!: string;
  @IsString() @MinLength(1) @HasText(1) @MaxLength(160) displayName!: string;
  @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(ROLES, { each: true }) roles!: Role[];
  @IsUUID() unitId!: string;
  /** Areas the user works in besides their unit's own area (e.g. a coordinator for two areas). */
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  areaIds?: string[];
  /** Initial password; leave out for users who sign in through the municipality's SSO only. */
  @Optional() @IsString() @MinLength(MIN_PASSWORD_LENGTH) @MaxLength(1024) password?: string;
}

export class ChangeRolesRequest {
  @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(ROLES, { each: true }) roles!: Role[];
}

export class DisableUserRequest {
  @Optional() @IsString() @MaxLength(500) reason?: string;
}
