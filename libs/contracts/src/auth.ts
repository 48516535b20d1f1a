import {
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { AGENCY_TYPES, ROLES, type AgencyType, type Role } from './enums.js';
import { Nested } from './validators.js';

export class LoginRequest {
  @IsEmail() @MaxLength(254) email!: string;
  @IsString() @MinLength(1) @MaxLength(1024) password!: string;
}

export class RefreshRequest {
  @IsString() @MinLength(20) @MaxLength(200) refreshToken!: string;
}

export class LogoutRequest {
  @IsString() @MinLength(20) @MaxLength(200) refreshToken!: string;
}

export class TokenResponse {
  @IsString() accessToken!: string;
  @IsString() refreshToken!: string;
  /** Seconds until the access token expires. */
  @IsInt() expiresIn!: number;
  @IsIn(['Bearer']) tokenType!: 'Bearer';
}

export class NamedRef {
  @IsUUID() id!: string;
  @IsString() name!: string;
}

export class UnitRef {
  @IsUUID() id!: string;
  @IsString() name!: string;
  @IsIn(AGENCY_TYPES) agency!: AgencyType;
  @IsUUID() areaId!: string;
}

export class MeUser {
  @IsUUID() id!: string;
  @IsEmail() email!: string;
  @IsString() displayName!: string;
}

export class MeResponse {
  @Nested(() => MeUser) user!: MeUser;
  @IsArray() @IsIn(ROLES, { each: true }) roles!: Role[];
  @Nested(() => UnitRef) unit!: UnitRef;
  @IsIn(AGENCY_TYPES) agency!: AgencyType;
  @IsArray() @Nested(() => NamedRef, { each: true }) areas!: NamedRef[];
  @Nested(() => NamedRef) municipality!: NamedRef;
}
