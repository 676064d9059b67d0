import type { Scope } from "@agentsecretstore/protocol";
import type { TokenRecord } from "../store/tokens-store.js";

/** Who a request acts as, once its credential checked out. */
export type Principal =
  | {
      readonly kind: "admin";
      readonly id: string;
      readonly tenantId: string;
      readonly isOperator: boolean;
      readonly credentialHash: string;
      /**
       * Signed in to the console: `credentialHash` is the session's, not the key's (the session
       * itself is checked on every request, and ends when the key is rotated).
       */
      readonly viaSession?: boolean;
    }
  | {
      readonly kind: "agent";
      readonly id: string;
      readonly tenantId: string;
      readonly allowedScopes: readonly Scope[];
      readonly credentialHash: string;
    }
  | {
      readonly kind: "token";
      readonly id: string;
      readonly tenantId: string;
      readonly token: TokenRecord;
      readonly scopes: readonly Scope[];
      readonly credentialHash: string;
      /**
       * The agent or admin that issued the token's family root, as `agent:<id>` or `admin:<id>`:
       * the whole family shares its rate-limit budget (see {@link budgetKeyOf}).
       */
      readonly rootIssuer: string;
    };

/**
 * The rate-limit budget a principal spends: its own for an agent or admin key; for a token,
 * its family root's issuer's, so that minting children never opens a new budget.
 */
export function budgetKeyOf(principal: Principal): string {
  return principal.kind === "token" ? principal.rootIssuer : `${principal.kind}:${principal.id}`;
}

/** The audit log's view of a principal: a token acts for whoever issued it. */
export function auditActor(principal: Principal | null): {
  actorType: string;
  actorId: string | null;
  tokenId: string | null;
} {
  if (principal === null) return { actorType: "anonymous", actorId: null, tokenId: null };
  if (principal.kind === "token") {
    return { actorType: "token", actorId: principal.token.issuerId, tokenId: principal.id };
  }
  return { actorType: principal.kind, actorId: principal.id, tokenId: null };
}
