import type {
  AdminRequestOptions,
  CreateAdminOptions,
  CreateAgentOptions,
  CreateTenantOptions,
  DecideApprovalOptions,
  GetApprovalOptions,
  ListApprovalsOptions,
  ListAuditOptions,
  RotateKeyOptions,
  VerifyAuditOptions,
} from "./admin-request-options.js";
import { AuditList } from "./audit-list.js";
import {
  toAdminList,
  toAgentList,
  toApprovalPage,
  toAuditCheckpoint,
  toAuditPage,
  toAuditVerification,
  toCreatedAdmin,
  toCreatedAgent,
  toCreatedTenant,
  toRotatedKey,
} from "./internal/admin-wire-mappers.js";
import { ClientCore } from "./internal/client-core.js";
import { checkNumber, invalid, requireText } from "./internal/option-checks.js";
import type { RequestPipeline } from "./internal/request-pipeline.js";
import {
  missingAdminKeyError,
  processEnvironment,
  resolveAdminKey,
} from "./internal/resolve-config.js";
import { encodeIdSegment } from "./internal/url-path.js";
import { toApprovalRequest } from "./internal/wire-mappers.js";
import type { Admin } from "./models/admin.js";
import type { Agent } from "./models/agent.js";
import type { ApprovalRequest } from "./models/approval-request.js";
import type { AuditCheckpoint } from "./models/audit-checkpoint.js";
import type { AuditVerification } from "./models/audit-verification.js";
import type { CreatedAdmin } from "./models/created-admin.js";
import type { CreatedAgent } from "./models/created-agent.js";
import type { CreatedTenant } from "./models/created-tenant.js";
import type { RotatedKey } from "./models/rotated-key.js";
import type { VaultAdminOptions } from "./vault-admin-options.js";

/** What an approver can do with a pending request (`POST /v1/approvals/{id}/<decision>`). */
type Decision = "approve" | "deny" | "cancel";

/**
 * The vault's admin API, for people and tools acting with an admin key (`ass_admin_…`):
 * decide approval requests, read and verify the audit log, manage agents, admins (approvers)
 * and tenants. Same transport as `AgentVault`: retries, timeouts, typed errors, and keys
 * that redact themselves when printed.
 *
 * @example
 * await using admin = new VaultAdmin(); // ASS_ADMIN_KEY and ASS_BASE_URL
 * for (const request of await admin.listApprovals({ status: "pending" })) {
 *   await admin.approve(request.id, { comment: "ok for the nightly run" });
 * }
 */
export class VaultAdmin implements AsyncDisposable {
  /** The API's base URL, normalised: no trailing slash, ending in `/v1`. */
  readonly baseUrl: string;
  readonly #core: ClientCore;
  readonly #pipeline: RequestPipeline;

  /**
   * Nothing is sent here. Unlike `AgentVault`, the key is checked at once (no call can pass
   * another): a missing one throws `AgentVaultConfigurationError` (`MISSING_CREDENTIAL`).
   */
  constructor(options: VaultAdminOptions = {}) {
    const env = options.env ?? processEnvironment();
    const adminKey = resolveAdminKey(options, env);
    if (adminKey === undefined) throw missingAdminKeyError();
    this.#core = new ClientCore(options, {
      env,
      credential: adminKey,
      missingCredential: missingAdminKeyError,
      clientName: "VaultAdmin",
    });
    this.baseUrl = this.#core.baseUrl;
    this.#pipeline = this.#core.pipeline;
  }

  /**
   * Approval requests of the admin's tenant, e.g. `{ status: "pending" }` for the queue, oldest
   * first: every page, following `next_cursor`.
   */
  async listApprovals(options: ListApprovalsOptions = {}): Promise<ApprovalRequest[]> {
    const approvals: ApprovalRequest[] = [];
    let cursor: string | null = null;
    do {
      const response = await this.#pipeline.send({
        method: "GET",
        path: "/approvals",
        query: { status: options.status, cursor: cursor ?? undefined },
        signal: options.signal,
      });
      const page = toApprovalPage(response.body);
      approvals.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return approvals;
  }

  /** One approval request; with `wait`, held by the server until it changes (long-poll). */
  async getApproval(
    approvalRequestId: string,
    options: GetApprovalOptions = {},
  ): Promise<ApprovalRequest> {
    const wait = options.wait === undefined ? 0 : checkNumber(options.wait, "wait", 0, true);
    const response = await this.#pipeline.send({
      method: "GET",
      path: approvalPath(approvalRequestId),
      query: { wait: options.wait === undefined ? undefined : wait },
      signal: options.signal,
      // The server holds the request up to `wait` seconds; the attempt's limit comes on top.
      timeout: wait * 1000 + this.#core.timeout,
    });
    return toApprovalRequest(response.body);
  }

  /**
   * Approves as this admin. A sensitive request is then approved; a critical one needs a
   * second admin's approval and then its delay (`eligibleAt`). Returns the updated request.
   */
  approve(
    approvalRequestId: string,
    options: DecideApprovalOptions = {},
  ): Promise<ApprovalRequest> {
    return this.#decide(approvalRequestId, "approve", options);
  }

  /** Denies the request: the pending token or read stays refused. Returns the updated request. */
  deny(approvalRequestId: string, options: DecideApprovalOptions = {}): Promise<ApprovalRequest> {
    return this.#decide(approvalRequestId, "deny", options);
  }

  /**
   * Cancels the request, also an approved critical one during its delay. Returns the
   * updated request.
   */
  cancel(approvalRequestId: string, options: DecideApprovalOptions = {}): Promise<ApprovalRequest> {
    return this.#decide(approvalRequestId, "cancel", options);
  }

  /**
   * The audit log of the admin's tenant, in chain order, filtered. Await the result for one
   * page, or iterate it with `for await` for every event of every page.
   */
  listAudit(options: ListAuditOptions = {}): AuditList {
    const fetchPage = async (cursor: string | undefined) => {
      const response = await this.#pipeline.send({
        method: "GET",
        path: "/audit",
        query: {
          limit: options.limit,
          cursor,
          path: options.path,
          event: options.event,
          actor: options.actor,
        },
        signal: options.signal,
      });
      return toAuditPage(response.body);
    };
    return new AuditList(fetchPage, options.cursor);
  }

  /**
   * Checks the audit log's hash chain end to end, and that it still holds each of
   * `options.checkpoints` (taken earlier with {@link auditCheckpoint}); a broken chain is a
   * result, not an error. A checkpoint the vault did not sign is refused (`AgentVaultError`, 400).
   */
  async verifyAudit(options: VerifyAuditOptions = {}): Promise<AuditVerification> {
    const checkpoints = options.checkpoints ?? [];
    const response = await this.#pipeline.send(
      checkpoints.length === 0
        ? { method: "GET", path: "/audit/verify", signal: options.signal }
        : {
            method: "POST",
            path: "/audit/verify",
            body: { checkpoints: [...checkpoints] },
            signal: options.signal,
          },
    );
    return toAuditVerification(response.body);
  }

  /**
   * A checkpoint of the audit chain's head, signed by the vault. Store it outside the vault;
   * `verifyAudit({ checkpoints: [it] })` later reports a chain cut back before it.
   */
  async auditCheckpoint(options: AdminRequestOptions = {}): Promise<AuditCheckpoint> {
    const response = await this.#pipeline.send({
      method: "GET",
      path: "/audit/checkpoint",
      signal: options.signal,
    });
    return toAuditCheckpoint(response.body);
  }

  /**
   * Creates an agent with a scope ceiling. Its key is in the result's `apiKey`, shown only
   * this once; the result prints `[REDACTED]` in its place.
   */
  async createAgent(options: CreateAgentOptions): Promise<CreatedAgent> {
    const { allowedScopes } = options;
    if (!Array.isArray(allowedScopes) || allowedScopes.length === 0) {
      throw invalid(
        "allowedScopes",
        'needs at least one scope, e.g. ["secrets:read:production/*"]',
      );
    }
    const response = await this.#pipeline.send({
      method: "POST",
      path: "/agents",
      body: {
        name: requireText(options.name, "name", '"summariser"'),
        description: options.description,
        allowed_scopes: [...allowedScopes],
      },
      signal: options.signal,
    });
    return toCreatedAgent(response.body);
  }

  /** The agents of the admin's tenant (never their keys). */
  async listAgents(options: AdminRequestOptions = {}): Promise<Agent[]> {
    const response = await this.#pipeline.send({
      method: "GET",
      path: "/agents",
      signal: options.signal,
    });
    return toAgentList(response.body);
  }

  /** Deletes an agent: its key stops working and every token it minted is revoked. */
  async deleteAgent(agentId: string, options: AdminRequestOptions = {}): Promise<void> {
    await this.#pipeline.send({
      method: "DELETE",
      path: `/agents/${encodeIdSegment(agentId, "agentId")}`,
      signal: options.signal,
    });
  }

  /**
   * Gives an agent a new key, in the result's `apiKey` (shown only this once; the result prints
   * `[REDACTED]` in its place). The old key stops working at once; the tokens it minted stay
   * valid unless `revokeTokens` is true.
   */
  async rotateAgentKey(agentId: string, options: RotateKeyOptions = {}): Promise<RotatedKey> {
    const response = await this.#pipeline.send({
      method: "POST",
      path: `/agents/${encodeIdSegment(agentId, "agentId")}/rotate-key`,
      body: { revoke_tokens: options.revokeTokens === true },
      signal: options.signal,
    });
    return toRotatedKey(response.body);
  }

  /**
   * Creates a named admin: another approver. Its key is in the result's `apiKey`, shown only
   * this once; the result prints `[REDACTED]` in its place.
   *
   * While the tenant has one admin this creates the second at once. From two admins on it is a
   * two-person action: the call throws `AgentVaultApprovalPendingError` whose
   * `approvalRequestId` another admin (one who existed before the request) approves with
   * `approve(id)`; then the same call by the same admin creates it.
   */
  async createAdmin(options: CreateAdminOptions): Promise<CreatedAdmin> {
    const response = await this.#pipeline.send({
      method: "POST",
      path: "/admins",
      body: { name: requireText(options.name, "name", '"alice"') },
      signal: options.signal,
    });
    return toCreatedAdmin(response.body);
  }

  /** The admins (approvers) of the admin's tenant (never their keys). */
  async listAdmins(options: AdminRequestOptions = {}): Promise<Admin[]> {
    const response = await this.#pipeline.send({
      method: "GET",
      path: "/admins",
      signal: options.signal,
    });
    return toAdminList(response.body);
  }

  /**
   * Deletes an admin (not the one making the call): its key stops working. A two-person action
   * as {@link createAdmin} is from two admins on: the first call throws
   * `AgentVaultApprovalPendingError` with the request to approve, the same call afterwards deletes.
   */
  async deleteAdmin(adminId: string, options: AdminRequestOptions = {}): Promise<void> {
    await this.#pipeline.send({
      method: "DELETE",
      path: `/admins/${encodeIdSegment(adminId, "adminId")}`,
      signal: options.signal,
    });
  }

  /**
   * Gives the calling admin's own key a new value (another admin's key is refused: 403), in the
   * result's `apiKey`, shown only this once. The old key stops working at once, so use the new
   * one from now on; the tokens it minted stay valid unless `revokeTokens` is true.
   */
  async rotateAdminKey(adminId: string, options: RotateKeyOptions = {}): Promise<RotatedKey> {
    const response = await this.#pipeline.send({
      method: "POST",
      path: `/admins/${encodeIdSegment(adminId, "adminId")}/rotate-key`,
      body: { revoke_tokens: options.revokeTokens === true },
      signal: options.signal,
    });
    return toRotatedKey(response.body);
  }

  /**
   * Hands the operator role to another admin of the tenant (the operator's key only); the
   * caller becomes a plain admin.
   */
  async makeOperator(adminId: string, options: AdminRequestOptions = {}): Promise<void> {
    await this.#pipeline.send({
      method: "POST",
      path: `/admins/${encodeIdSegment(adminId, "adminId")}/make-operator`,
      signal: options.signal,
    });
  }

  /**
   * Creates a tenant and its first admin key (the operator's key only). The key is in the
   * result's `adminKey`, shown only this once; the result prints `[REDACTED]` in its place.
   */
  async createTenant(options: CreateTenantOptions): Promise<CreatedTenant> {
    const response = await this.#pipeline.send({
      method: "POST",
      path: "/tenants",
      body: { name: requireText(options.name, "name", '"team-ml"') },
      signal: options.signal,
    });
    return toCreatedTenant(response.body);
  }

  /**
   * Aborts every request in flight and makes later calls throw
   * `AgentVaultConfigurationError` (`CLIENT_CLOSED`). Calling it again does nothing.
   */
  async close(): Promise<void> {
    this.#core.close();
  }

  /** `await using admin = new VaultAdmin()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #decide(
    approvalRequestId: string,
    decision: Decision,
    options: DecideApprovalOptions,
  ): Promise<ApprovalRequest> {
    const path = `${approvalPath(approvalRequestId)}/${decision}`;
    const response = await this.#pipeline.send({
      method: "POST",
      path,
      body: { comment: options.comment },
      signal: options.signal,
    });
    // A server that answers the decision without a body (204) is asked for the result.
    if (response.body === null)
      return this.getApproval(approvalRequestId, { signal: options.signal });
    return toApprovalRequest(response.body);
  }
}

function approvalPath(approvalRequestId: string): string {
  return `/approvals/${encodeIdSegment(approvalRequestId, "approvalRequestId")}`;
}
