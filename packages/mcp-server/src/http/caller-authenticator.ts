import { createHash, timingSafeEqual } from "node:crypto";

/**
 * What a session of a caller uses for its vault calls instead of the server's own credential:
 * a token issued to this session, and what ends it.
 */
export interface SessionCredential {
  /** A scoped token (`ast_tok_…`) presented on every vault call of the session. */
  readonly vaultToken: string;
  /** Ends the credential when the session ends (revokes the token). */
  close(): Promise<void>;
}

/** Who sent an HTTP request: an opaque, stable id (never the credential itself). */
export interface Caller {
  readonly id: string;
  /**
   * Makes the credential a new session of this caller works with; absent, the session uses
   * the server's own vault credential.
   */
  readonly openSessionCredential?: (sessionId: string) => Promise<SessionCredential>;
}

/** Decides who a bearer token belongs to; `undefined` for a token it does not accept. */
export interface CallerAuthenticator {
  authenticate(bearerToken: string): Promise<Caller | undefined>;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Accepts exactly the bearer tokens the operator configured for this MCP server
 * (`ASS_MCP_AUTH_TOKEN`), compared in constant time. The token is this server's own: it is
 * never sent to the vault or anywhere else (no token passthrough); vault calls use the
 * server's own vault credential.
 */
export function ownTokenAuthenticator(tokens: readonly string[]): CallerAuthenticator {
  const accepted = tokens.map((token) => ({
    hash: digest(token),
    id: `caller-${digest(`caller:${token}`).toString("hex").slice(0, 16)}`,
  }));
  return {
    async authenticate(bearerToken) {
      const presented = digest(bearerToken);
      let match: Caller | undefined;
      // Every configured token is compared, so the time taken says nothing about which matched.
      for (const candidate of accepted) {
        if (timingSafeEqual(candidate.hash, presented)) match = { id: candidate.id };
      }
      return match;
    },
  };
}

/** The first of `authenticators` that accepts the token decides. */
export function anyAuthenticator(
  authenticators: readonly CallerAuthenticator[],
): CallerAuthenticator {
  return {
    async authenticate(bearerToken) {
      for (const authenticator of authenticators) {
        const caller = await authenticator.authenticate(bearerToken);
        if (caller !== undefined) return caller;
      }
      return undefined;
    },
  };
}

/** The token of an `Authorization: Bearer …` header, or `undefined`. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}
