/** The claims of our access tokens. */
export interface AccessTokenClaims {
  /** User id. */
  sub: string;
  /** Session id: revoking the session ends the token at once. */
  sid: string;
  /** Municipality id. */
  mun: string;
}

export const TOKEN_ISSUER = 'samverka';
export const TOKEN_AUDIENCE = 'samverka-api';
