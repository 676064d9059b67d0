import { createHash } from "node:crypto";
import { credentialKindByPrefix } from "@agentsecretstore/protocol";
import type { Caller, CallerAuthenticator, SessionCredential } from "./caller-authenticator.js";

/** The part of the vault client the authenticator uses. */
export interface TokenIssuer {
  inspectToken(options: { token: string }): Promise<{
    tokenId: string;
    scopes: readonly string[];
    expiresAt: Date | null;
    approvalStatus: string;
  }>;
  requestToken(options: {
    token: string;
    scopes: readonly string[];
    description: string;
  }): Promise<{ value: string; tokenId: string }>;
  revokeToken(tokenOrId: string, options?: { token?: string }): Promise<void>;
}

/** Options of {@link vaultTokenAuthenticator}. */
export interface VaultTokenAuthenticatorOptions {
  /** The vault client (the server's own; its credential is not used here). */
  readonly vault: TokenIssuer;
  /**
   * How long a token the vault confirmed is believed without asking again, in ms.
   * @default 30_000
   */
  readonly cacheMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Known {
  readonly caller: Caller | undefined;
  readonly until: number;
}

// Enough for every caller of one MCP server; the oldest entry goes first beyond it.
const MAX_CACHED = 1_000;

/**
 * Accepts the vault's own scoped tokens (`ast_tok_…`) as callers, after the MCP authorization
 * spec's resource-server rules: the token is checked with the vault that issued it
 * (`GET /v1/tokens/self`, which uses none of its uses), and never used for a tool's call.
 * Each session exchanges it once for a child token issued to that session (`POST /v1/tokens`
 * with the caller's token: same scopes or fewer, never a longer life or more uses, its
 * approvals inherited); the tools use only that child, which is revoked when the session
 * ends. Revoking the caller's token revokes the child too. Strings that are not shaped like a
 * scoped token are refused without asking the vault.
 */
export function vaultTokenAuthenticator(
  options: VaultTokenAuthenticatorOptions,
): CallerAuthenticator {
  const { vault } = options;
  const cacheMs = options.cacheMs ?? 30_000;
  const now = options.now ?? Date.now;
  const known = new Map<string, Known>();

  const remember = (key: string, caller: Caller | undefined) => {
    if (known.size >= MAX_CACHED) known.delete(known.keys().next().value as string);
    known.set(key, { caller, until: now() + cacheMs });
    return caller;
  };

  return {
    async authenticate(bearerToken) {
      if (credentialKindByPrefix(bearerToken) !== "token") return undefined;
      const key = createHash("sha256").update(bearerToken).digest("hex");
      const cached = known.get(key);
      if (cached !== undefined && cached.until > now()) return cached.caller;
      let record: Awaited<ReturnType<TokenIssuer["inspectToken"]>>;
      try {
        record = await vault.inspectToken({ token: bearerToken });
      } catch (error) {
        // Unknown, expired, revoked, used up: not a caller. Anything else is the vault's problem.
        const status = (error as { status?: unknown })?.status;
        if (status === 401 || status === 404) return remember(key, undefined);
        throw error;
      }
      if (record.approvalStatus !== "approved") return remember(key, undefined);
      const caller: Caller = {
        id: `vault-token-${record.tokenId}`,
        openSessionCredential: async (sessionId): Promise<SessionCredential> => {
          const child = await vault.requestToken({
            token: bearerToken,
            scopes: record.scopes,
            description: `MCP session ${sessionId}`,
          });
          return {
            vaultToken: child.value,
            close: async () => {
              await vault.revokeToken(child.value).catch((error: unknown) => {
                const status = (error as { status?: unknown })?.status;
                if (status !== 401 && status !== 404) throw error;
              });
            },
          };
        },
      };
      return remember(key, caller);
    },
  };
}
