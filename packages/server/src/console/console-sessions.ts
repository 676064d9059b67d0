import { randomBytes, timingSafeEqual } from "node:crypto";
import { fastifyCookie } from "@fastify/cookie";
import type { FastifyRequest } from "fastify";
import { hashCredential } from "../crypto/credentials.js";
import type { Principal } from "../vault/principal.js";
import type { VaultContext } from "../vault/vault-context.js";
import type { ResolvedConsoleSettings } from "./console-settings.js";
import { sessionMayCall } from "./session-routes.js";

/** The cookie that holds a console session's id, and nothing else. */
export const SESSION_COOKIE = "ass_console_session";
/** The header the console's script sends its session's CSRF token in. */
export const CSRF_HEADER = "x-csrf-token";

/** Activity is written at most this often, so a busy page does not write on every request. */
const TOUCH_INTERVAL_MS = 10_000;
const UNSAFE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Why a request's session cookie did not stand for an admin (an `auth.failed` reason). */
export type ConsoleSessionFailure =
  | "session_unknown"
  | "session_expired"
  | "session_csrf_token"
  | "session_not_allowed_here";

/** What a session cookie resolves to: the admin principal, or why not. */
export type ConsoleSessionResolution =
  | { principal: Extract<Principal, { kind: "admin" }> }
  | { failure: ConsoleSessionFailure; tenantId?: string };

/** A live session as the console's pages need it. */
export type LiveConsoleSession = {
  principal: Extract<Principal, { kind: "admin" }>;
  csrfToken: string;
  adminName: string;
};

declare module "fastify" {
  interface FastifyInstance {
    /**
     * The console's sessions, present while the console is on. `authenticate` asks it to turn a
     * session cookie into the admin principal when a request carries no credential.
     */
    consoleSessions?: ConsoleSessions;
  }
}

function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left, "utf8");
  const b = Buffer.from(right, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the request carries the session's CSRF token in {@link CSRF_HEADER}. */
export function carriesCsrfToken(request: FastifyRequest, session: LiveConsoleSession): boolean {
  const token = request.headers[CSRF_HEADER];
  return typeof token === "string" && sameText(token, session.csrfToken);
}

/**
 * Server-side console sessions, stored in the database (so every instance knows them), each
 * standing for the admin who signed in with their key. The cookie holds only a random id; the
 * database only its keyed hash. Sessions end when idle too long, at their absolute limit, at
 * sign-out, and when their admin is deleted.
 */
export class ConsoleSessions {
  constructor(
    private readonly context: VaultContext,
    readonly settings: ResolvedConsoleSettings,
  ) {}

  private hashOf(sessionId: string): string {
    return hashCredential(this.context.credentialHmacKey, `console-session:${sessionId}`);
  }

  /** Starts a session for an admin; the id goes into the cookie and nowhere else. */
  async begin(admin: { id: string; tenantId: string }): Promise<{ sessionId: string }> {
    const now = this.context.now();
    const sessionId = randomToken();
    await this.context.data.consoleSessions.deleteStale(
      now.toISOString(),
      new Date(now.getTime() - this.settings.idleTimeoutSeconds * 1000).toISOString(),
    );
    await this.context.data.consoleSessions.insert({
      idHash: this.hashOf(sessionId),
      tenantId: admin.tenantId,
      adminId: admin.id,
      csrfToken: randomToken(),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(
        now.getTime() + this.settings.absoluteTimeoutSeconds * 1000,
      ).toISOString(),
      endedAt: null,
    });
    return { sessionId };
  }

  /** Ends a session on every instance (sign-out). Unknown ids are ignored. */
  async end(sessionId: string): Promise<void> {
    await this.context.data.consoleSessions.end(
      this.hashOf(sessionId),
      this.context.now().toISOString(),
    );
  }

  /**
   * The live session behind a cookie value, or why there is none. Records activity unless
   * `touch` is false (the event stream's heartbeat is not a person's activity).
   */
  async lookup(
    sessionId: string | undefined,
    options: { touch?: boolean } = {},
  ): Promise<LiveConsoleSession | { failure: ConsoleSessionFailure; tenantId?: string }> {
    if (sessionId === undefined || sessionId === "") return { failure: "session_unknown" };
    const idHash = this.hashOf(sessionId);
    const session = await this.context.data.consoleSessions.find(idHash);
    if (session === undefined || session.endedAt !== null) return { failure: "session_unknown" };
    const { tenantId } = session;
    const now = this.context.now();
    const idleUntil = Date.parse(session.lastSeenAt) + this.settings.idleTimeoutSeconds * 1000;
    if (now.getTime() >= Date.parse(session.expiresAt) || now.getTime() >= idleUntil) {
      return { failure: "session_expired", tenantId };
    }
    const admins = await this.context.data.principals.listAdmins(tenantId);
    const admin = admins.find((candidate) => candidate.id === session.adminId);
    // A deleted admin's sessions end with their key.
    if (admin === undefined) return { failure: "session_unknown", tenantId };
    if (
      options.touch !== false &&
      now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_INTERVAL_MS
    ) {
      await this.context.data.consoleSessions.touch(idHash, now.toISOString());
    }
    return {
      principal: {
        kind: "admin",
        id: admin.id,
        tenantId,
        isOperator: admin.isOperator,
        // Rate limits and idempotency keys are per session, as they are per key.
        credentialHash: idHash,
        viaSession: true,
      },
      csrfToken: session.csrfToken,
      adminName: admin.name,
    };
  }

  /**
   * The seam into authentication: a request to the API with no credential but a console session
   * cookie acts as the admin who signed in, if the route is one the console uses (never a value
   * read: Reveal asks for the key again) and, for a state-changing method, if it carries the
   * session's CSRF token. Undefined when the request has no session cookie.
   */
  async principalFor(request: FastifyRequest): Promise<ConsoleSessionResolution | undefined> {
    const header = request.headers.cookie;
    if (typeof header !== "string") return undefined;
    const sessionId = fastifyCookie.parse(header)[SESSION_COOKIE];
    if (sessionId === undefined) return undefined;
    const found = await this.lookup(sessionId);
    if ("failure" in found) return found;
    const { tenantId } = found.principal;
    if (!sessionMayCall(request.method, request.routeOptions.url)) {
      return { failure: "session_not_allowed_here", tenantId };
    }
    if (UNSAFE_METHODS.has(request.method) && !carriesCsrfToken(request, found)) {
      return { failure: "session_csrf_token", tenantId };
    }
    return { principal: found.principal };
  }
}
