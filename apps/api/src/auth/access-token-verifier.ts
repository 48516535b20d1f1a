import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessTokenClaims } from './access-token.js';
import { VerifiedTokens } from './verified-tokens.js';

export type VerifiedClaims = AccessTokenClaims & { exp: number };

/**
 * Checks an access token's signature, issuer, audience and expiry, for requests and socket
 * handshakes alike. A token verified before is remembered until it expires; whether its session
 * is still alive is for the caller to check (`PrincipalService.resolve`) every time.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verified = new VerifiedTokens<VerifiedClaims>();

  constructor(private readonly jwt: JwtService) {}

  /** The token's claims, or `undefined` when it is invalid or has expired. */
  async verify(token: string): Promise<VerifiedClaims | undefined> {
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const claims = await this.jwt.verifyAsync<VerifiedClaims>(token, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['HS256'],
      });
      this.verified.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }
}

/**
 * The token of an `Authorization: Bearer <token>` header; the scheme's name is case-insensitive
 * (RFC 9110 §11.1), so "bearer …" is one too. Undefined for any other header or none.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer +(\S.*)$/i.exec(header ?? '');
  return match?.[1]!.trim();
}
