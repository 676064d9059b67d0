import { vi } from "vitest";
import { VaultAdmin, type VaultAdminOptions } from "../../src/admin/index.js";
import { AgentVault, type AgentVaultOptions, type Logger } from "../../src/index.js";

/** Loopback only: nock intercepts it, and anything unmatched could never leave the machine. */
export const ORIGIN = "http://127.0.0.1:4010";
/** Obviously fake credentials and values. */
export const AGENT_KEY = "ass_live_fake0000agentkey";
export const CHILD_TOKEN = "ast_tok_fake0000childtoken";
export const ADMIN_KEY = "ass_admin_fake0000adminkey";
export const VALUE = "canary-value-1f3a9c";

/** A client against the nock origin, with no retries and an empty environment. */
export function testVault(options: AgentVaultOptions = {}): AgentVault {
  return new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY, env: {}, retries: 0, ...options });
}

/** An admin client against the nock origin, with no retries and an empty environment. */
export function testAdmin(options: VaultAdminOptions = {}): VaultAdmin {
  return new VaultAdmin({ baseUrl: ORIGIN, adminKey: ADMIN_KEY, env: {}, retries: 0, ...options });
}

/** The body of `GET /v1/approvals/{id}`, as the server writes it. */
export function wireApproval(overrides: Record<string, unknown> = {}) {
  return {
    id: "apr_1",
    approval_request_id: "apr_1",
    status: "pending",
    tier: "sensitive",
    scopes: ["secrets:read:production/db/*"],
    path: null,
    token_id: "tok_1",
    requested_by: "agt_1",
    requested_by_type: "agent",
    description: "nightly report",
    approvals: [],
    required_approvals: 1,
    eligible_at: null,
    decided_at: null,
    created_at: "2026-01-15T10:30:00.000Z",
    ...overrides,
  };
}

/** One audit event, as `GET /v1/audit` lists it. */
export function wireAuditEvent(overrides: Record<string, unknown> = {}) {
  return {
    id: "aud_1",
    seq: 1,
    at: "2026-01-15T10:30:00.000Z",
    event: "secret.read",
    actor_type: "agent",
    actor_id: "agt_1",
    token_id: null,
    path: "production/openai/api-key",
    version: 3,
    ip: "127.0.0.1",
    outcome: "success",
    request_id: "req_1",
    detail: null,
    hash: "hash-1",
    prev_hash: "hash-0",
    ...overrides,
  };
}

/** The body of `GET /v1/secrets/{path}` in the seed generation's shape. */
export function wireSecret(path: string, overrides: Record<string, unknown> = {}) {
  const slash = path.lastIndexOf("/");
  return {
    path,
    namespace: path.slice(0, Math.max(slash, 0)),
    key: path.slice(slash + 1),
    value: VALUE,
    version: 1,
    tier: "standard",
    access_tier: "standard",
    secret_type: "api_key",
    description: null,
    tags: {},
    metadata: {},
    created_at: "2026-01-15T10:30:00.000Z",
    updated_at: "2026-01-15T10:30:00.000Z",
    accessed_at: null,
    expires_at: null,
    ...overrides,
  };
}

/** The body of `POST /v1/tokens`. */
export function wireToken(overrides: Record<string, unknown> = {}) {
  return {
    token: CHILD_TOKEN,
    value: CHILD_TOKEN,
    token_id: "tok_1",
    scope: "secrets:read:production/openai/*",
    scopes: ["secrets:read:production/openai/*"],
    ttl_seconds: 900,
    expires_at: "2026-01-15T10:45:00.000Z",
    description: null,
    allowed_ips: null,
    max_uses: null,
    uses_remaining: null,
    approval_status: "approved",
    approval_request_id: null,
    approval_id: null,
    requires_approval: false,
    ...overrides,
  };
}

/** An error body as docs/protocol.md writes it. */
export function wireError(code: string, details: Record<string, unknown> = {}) {
  return { error: { code, message: `${code.toLowerCase()} happened`, ...details } };
}

/** A logger that records everything it is given, for redaction checks. */
export function capturingLogger(): Logger & { lines: () => string } {
  const logger = {
    debug: vi.fn(),
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
    lines: () =>
      JSON.stringify([
        logger.debug.mock.calls,
        logger.info.mock.calls,
        logger.warn.mock.calls,
        logger.error.mock.calls,
      ]),
  };
  return logger;
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Lets real I/O (nock's replies) and every queued microtask run; safe under fake timers. */
export async function flushIo(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Waits (in real I/O turns, not fake time) until the client has logged `attempts` HTTP
 * attempts, then lets it schedule whatever comes next (a retry's sleep).
 */
export async function untilAttempts(logger: Logger, attempts: number): Promise<void> {
  const debug = logger.debug as ReturnType<typeof vi.fn>;
  for (let turn = 0; turn < 1000 && debug.mock.calls.length < attempts; turn += 1) {
    await flushIo(1);
  }
  if (debug.mock.calls.length < attempts) {
    throw new Error(`the client made ${debug.mock.calls.length} attempts, expected ${attempts}`);
  }
  await flushIo();
}
