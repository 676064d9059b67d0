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
    };

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
