import {
  type AgentVault,
  AgentVaultApprovalPendingError,
  AgentVaultApprovalTimeoutError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalWaiting,
  type RotationResult,
  ScopedToken,
  Secret,
  type SecretMetadata,
  type SecretTier,
} from "@agentsecretstore/client";
import { scopeCovers } from "@agentsecretstore/protocol";

/**
 * The part of `AgentVault` the fake plays: what the vault tools call (agent-tools' `VaultClient`
 * has the same shape), with a `waitForApproval` method of its own, which the client's
 * `waitForApproval(vault, id)` calls.
 */
export type FakeVaultClient = Pick<
  AgentVault,
  | "getSecret"
  | "setSecret"
  | "listSecrets"
  | "getMetadata"
  | "requestToken"
  | "rotateSecret"
  | "revokeToken"
> &
  ApprovalWaiting;

type Stored = { value: string; version: number; tier: SecretTier; description: string | null };
type Call = { method: string; subject: string | undefined; token: string | undefined };

/**
 * An in-memory stand-in for `AgentVault`, for unit tests of adapters and tools: scopes, tiers,
 * pending tokens and approvals behave as docs/protocol.md says, and every call is recorded with
 * the credential it was made with. Errors are the client's own classes. Use a real vault
 * (`startVault`) wherever the test is about what the server does.
 */
export class FakeVault implements FakeVaultClient {
  readonly calls: Call[] = [];
  readonly secrets = new Map<string, Stored>();
  /** What the client's own credential may do. */
  agentScopes: string[] = ["secrets:*:*"];
  /** Tokens minted by requestToken, by value. */
  readonly tokens = new Map<string, { scopes: string[]; approvalRequestId: string | null }>();
  readonly approvals = new Map<string, ApprovalStatus>();
  /** Whether a token for `scope` needs a person's approval. */
  needsApproval: (scope: string) => boolean = () => false;
  /** Make the next call of a method throw this error. */
  readonly failNext = new Map<string, Error>();
  #minted = 0;

  put(path: string, value: string, tier: SecretTier = "standard"): void {
    const version = (this.secrets.get(path)?.version ?? 0) + 1;
    this.secrets.set(path, { value, version, tier, description: null });
  }

  approve(approvalRequestId: string): void {
    this.approvals.set(approvalRequestId, "approved");
  }

  async getSecret(
    path: string,
    options: { token?: string | undefined; version?: number | undefined } = {},
  ) {
    this.#record("getSecret", path, options.token);
    this.#authorize(options.token, "read", path);
    const stored = this.#find(path);
    if (stored.tier !== "standard" && options.token === undefined) {
      const id = `approval-path-${path}`;
      if (this.approvals.get(id) !== "approved") {
        this.approvals.set(id, this.approvals.get(id) ?? "pending");
        throw new AgentVaultApprovalPendingError("A person must approve this read.", {
          code: "APPROVAL_PENDING",
          status: 202,
          approvalRequestId: id,
        });
      }
    }
    return new Secret({ ...this.#metadata(path, stored), value: stored.value });
  }

  async setSecret(
    path: string,
    value: string,
    options: {
      token?: string | undefined;
      tier?: SecretTier | undefined;
      description?: string | undefined;
    } = {},
  ) {
    this.#record("setSecret", path, options.token);
    this.#authorize(options.token, "write", path);
    const previous = this.secrets.get(path);
    const stored: Stored = {
      value,
      version: (previous?.version ?? 0) + 1,
      tier: options.tier ?? previous?.tier ?? "standard",
      description: options.description ?? previous?.description ?? null,
    };
    this.secrets.set(path, stored);
    return this.#metadata(path, stored);
  }

  listSecrets(namespace: string, options: { token?: string | undefined } = {}) {
    this.#record("listSecrets", namespace, options.token);
    const items = [...this.secrets.entries()]
      .filter(([path]) => path.startsWith(`${namespace}/`))
      .map(([path, stored]) => this.#metadata(path, stored));
    // The real client returns a SecretList (awaitable); a promise of one page is enough here.
    return Promise.resolve({ namespace, items, nextCursor: null }) as unknown as ReturnType<
      FakeVaultClient["listSecrets"]
    >;
  }

  async getMetadata(path: string, options: { token?: string | undefined } = {}) {
    this.#record("getMetadata", path, options.token);
    this.#authorize(options.token, "read", path);
    const stored = this.#find(path);
    return {
      ...this.#metadata(path, stored),
      versions: [{ version: stored.version, createdAt: null, retiredAt: null }],
    };
  }

  async requestToken(options: {
    scope?: string | undefined;
    token?: string | undefined;
    ttlSeconds?: number | undefined;
  }) {
    this.#record("requestToken", options.scope, options.token);
    const scope = options.scope ?? "";
    this.#minted += 1;
    const value = `ast_tok_fake${String(this.#minted).padStart(20, "0")}`;
    const pending = this.needsApproval(scope);
    const approvalRequestId = pending ? `approval-token-${this.#minted}` : null;
    if (approvalRequestId !== null) this.approvals.set(approvalRequestId, "pending");
    this.tokens.set(value, { scopes: [scope], approvalRequestId });
    return new ScopedToken({
      value,
      tokenId: `token-${this.#minted}`,
      scope,
      scopes: [scope],
      ttlSeconds: options.ttlSeconds ?? 3600,
      expiresAt: new Date(Date.now() + 3_600_000),
      description: null,
      allowedIps: null,
      maxUses: null,
      usesRemaining: null,
      approvalStatus: pending ? "pending" : "approved",
      approvalRequestId,
      requiresApproval: pending,
    });
  }

  async rotateSecret(
    path: string,
    newValue: string,
    options: { token?: string | undefined; gracePeriodSeconds?: number | undefined } = {},
  ): Promise<RotationResult> {
    this.#record("rotateSecret", path, options.token);
    this.#authorize(options.token, "write", path);
    const previous = this.#find(path);
    this.secrets.set(path, { ...previous, value: newValue, version: previous.version + 1 });
    return {
      path,
      newVersion: previous.version + 1,
      oldVersion: previous.version,
      expiresAt: null,
      gracePeriodSeconds: options.gracePeriodSeconds ?? 0,
    };
  }

  async waitForApproval(
    approvalRequestId: string,
    options: { token?: string | undefined } = {},
  ): Promise<ApprovalRequest> {
    this.#record("waitForApproval", approvalRequestId, options.token);
    const status = this.approvals.get(approvalRequestId);
    if (status === undefined) {
      throw new AgentVaultNotFoundError("No such approval request.", {
        code: "NOT_FOUND",
        status: 404,
      });
    }
    if (status === "pending") {
      throw new AgentVaultApprovalTimeoutError("Still pending.", {
        code: "APPROVAL_TIMEOUT",
        approvalRequestId,
      });
    }
    return {
      id: approvalRequestId,
      status,
      tier: "sensitive",
      scopes: [],
      requestedBy: "agent",
      description: null,
      approvals: [{ by: "admin", at: new Date(), comment: null }],
      requiredApprovals: 1,
      path: null,
      createdAt: null,
      expiresAt: null,
      eligibleAt: null,
      decidedAt: new Date(),
    };
  }

  async revokeToken(
    tokenOrId: unknown,
    options: { token?: string | undefined } = {},
  ): Promise<void> {
    this.#record("revokeToken", String(tokenOrId), options.token);
  }

  #record(method: string, subject: string | undefined, token: string | undefined): void {
    this.calls.push({ method, subject, token });
    const failure = this.failNext.get(method);
    if (failure !== undefined) {
      this.failNext.delete(method);
      throw failure;
    }
  }

  #authorize(token: string | undefined, action: "read" | "write", path: string): void {
    const minted = token === undefined ? undefined : this.tokens.get(token);
    if (token !== undefined && minted === undefined) {
      throw new AgentVaultPermissionError("Unknown token.", { code: "SCOPE_DENIED", status: 403 });
    }
    const scopes = minted?.scopes ?? this.agentScopes;
    if (!scopes.some((scope) => scopeCovers(scope, action, path))) {
      throw new AgentVaultPermissionError(`This credential may not ${action} ${path}.`, {
        code: "SCOPE_DENIED",
        status: 403,
        path,
        requiredScope: `secrets:${action}:${path}`,
      });
    }
    const approvalRequestId = minted?.approvalRequestId ?? null;
    if (approvalRequestId !== null && this.approvals.get(approvalRequestId) !== "approved") {
      throw new AgentVaultApprovalPendingError("This token waits for approval.", {
        code: "APPROVAL_PENDING",
        status: 202,
        approvalRequestId,
      });
    }
  }

  #find(path: string): Stored {
    const stored = this.secrets.get(path);
    if (stored === undefined) {
      throw new AgentVaultNotFoundError(`No secret at ${path}.`, {
        code: "SECRET_NOT_FOUND",
        status: 404,
        path,
      });
    }
    return stored;
  }

  #metadata(path: string, stored: Stored): SecretMetadata {
    const segments = path.split("/");
    return {
      path,
      namespace: segments.slice(0, -1).join("/"),
      key: segments.at(-1) ?? path,
      version: stored.version,
      tier: stored.tier,
      secretType: "custom",
      description: stored.description,
      tags: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
      accessedAt: null,
      expiresAt: null,
      allowedDestinations: null,
      approval: null,
    };
  }
}
