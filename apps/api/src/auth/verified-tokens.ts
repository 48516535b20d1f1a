/**
 * Access tokens this process has verified, by their exact text, until they expire: a client
 * sends the same token with every request, and checking its signature again each time costs
 * more than the rest of the guard. Whether the session behind it is still alive is checked on
 * every request all the same (`PrincipalService`); this only skips re-verifying the signature.
 */
export class VerifiedTokens<C extends { exp: number }> {
  private readonly byToken = new Map<string, C>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly nowSeconds = () => Date.now() / 1000,
  ) {}

  /** The claims of `token` if it was verified here and has not expired since. */
  get(token: string): C | undefined {
    const claims = this.byToken.get(token);
    if (!claims) return undefined;
    if (claims.exp <= this.nowSeconds()) {
      this.byToken.delete(token);
      return undefined;
    }
    return claims;
  }

  /** Remembers a token whose signature, issuer, audience and expiry were just verified. */
  set(token: string, claims: C): void {
    if (this.byToken.size >= this.maxEntries) {
      // The oldest remembered first (a Map keeps insertion order).
      this.byToken.delete(this.byToken.keys().next().value!);
    }
    this.byToken.set(token, claims);
  }
}
