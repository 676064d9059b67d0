import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authenticate } from "../http/authenticate.js";
import { originOf } from "../http/request-origin.js";
import { principalOf } from "../http/request-principal.js";
import { recordAudit } from "../vault/audit-event.js";
import { requireAdmin } from "../vault/require-admin.js";
import type { VaultContext } from "../vault/vault-context.js";
import { VaultError } from "../vault/vault-error.js";
import { type ConsoleAsset, loadConsoleAssets } from "./console-assets.js";
import { streamApprovalChanges } from "./console-events.js";
import {
  ConsoleSessions,
  carriesCsrfToken,
  type LiveConsoleSession,
  SESSION_COOKIE,
} from "./console-sessions.js";
import type { ResolvedConsoleSettings } from "./console-settings.js";
import { CONSOLE_PAGES, type PageSession } from "./pages/layout.js";
import { pageFor } from "./pages/page-for.js";
import { type SignInNotice, signInPage } from "./pages/sign-in-page.js";

/** Options of {@link consolePlugin}. */
export type ConsolePluginOptions = {
  context: VaultContext;
  settings: ResolvedConsoleSettings;
};

/**
 * The content security policy of every console response: its own script and styles only, no
 * inline script or style, no framing, requests only to this origin (the API and the event stream).
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

function sessionCookieOf(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE];
}

function pageSessionOf(session: LiveConsoleSession): PageSession {
  return {
    adminId: session.principal.id,
    adminName: session.adminName,
    csrfToken: session.csrfToken,
  };
}

function sendPage(reply: FastifyReply, markup: string): FastifyReply {
  return reply
    .header("cache-control", "no-store")
    .header("vary", "Cookie")
    .type("text/html; charset=utf-8")
    .send(markup);
}

/** The console's own routes, encapsulated: its cookies, headers and policy apply here only. */
async function consoleRoutes(
  app: FastifyInstance,
  options: ConsolePluginOptions & { sessions: ConsoleSessions; assets: Map<string, ConsoleAsset> },
): Promise<void> {
  const { context, sessions, assets } = options;
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });

  const liveSession = async (request: FastifyRequest) => {
    const found = await sessions.lookup(sessionCookieOf(request));
    return "failure" in found ? undefined : found;
  };
  const toSignIn = (reply: FastifyReply, request: FastifyRequest) =>
    reply.redirect(
      sessionCookieOf(request) === undefined ? "/console/sign-in" : "/console/sign-in?notice=ended",
      303,
    );

  app.get("/console", { schema: { hide: true } }, async (request, reply) =>
    reply.redirect((await liveSession(request)) ? "/console/approvals" : "/console/sign-in", 303),
  );

  app.get<{ Querystring: { notice?: string } }>(
    "/console/sign-in",
    { schema: { hide: true } },
    async (request, reply) => {
      if (await liveSession(request)) return reply.redirect("/console/approvals", 303);
      const asked = request.query.notice;
      const notice: SignInNotice =
        asked === "ended" || asked === "signed-out" || asked === "rotated" ? asked : undefined;
      return sendPage(reply, signInPage(notice));
    },
  );

  // The sign-in: the typed admin key arrives as `Authorization: Bearer`, checked by the API's own
  // authentication (rate limits and `auth.failed` included), and is exchanged for a session.
  app.post(
    "/console/session",
    { onRequest: authenticate(context), schema: { hide: true } },
    async (request, reply) => {
      const admin = await requireAdmin(context, originOf(request), principalOf(request));
      const { sessionId } = await sessions.begin(admin);
      await recordAudit(context, originOf(request), admin, admin.tenantId, {
        event: "console.signed_in",
        outcome: "success",
      });
      reply.setCookie(SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: "strict",
        secure: request.protocol === "https",
        path: "/",
        maxAge: sessions.settings.absoluteTimeoutSeconds,
      });
      return reply.code(201).header("cache-control", "no-store").send({ signed_in: true });
    },
  );

  app.post("/console/sign-out", { schema: { hide: true } }, async (request, reply) => {
    const sessionId = sessionCookieOf(request);
    const found = await sessions.lookup(sessionId);
    if ("failure" in found) {
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send();
    }
    if (!carriesCsrfToken(request, found)) {
      // Like a forged API call: the same 401 the session seam gives.
      throw new VaultError(
        "UNAUTHORIZED",
        "Sign-out needs the page's CSRF token: reload the console and try again",
      );
    }
    await sessions.end(sessionId ?? "");
    await recordAudit(context, originOf(request), found.principal, found.principal.tenantId, {
      event: "console.signed_out",
      outcome: "success",
    });
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.code(204).send();
  });

  for (const page of CONSOLE_PAGES) {
    app.get(`/console/${page.slug}`, { schema: { hide: true } }, async (request, reply) => {
      const session = await liveSession(request);
      if (session === undefined) return toSignIn(reply, request);
      return sendPage(reply, pageFor(page.slug, pageSessionOf(session)));
    });
  }

  app.get("/console/events", { schema: { hide: true } }, async (request, reply) => {
    const session = await liveSession(request);
    if (session === undefined) {
      throw new VaultError("UNAUTHORIZED", "Your console session ended: sign in again");
    }
    streamApprovalChanges({ context, sessions, request, reply, session });
    return reply;
  });

  app.get<{ Params: { name: string } }>(
    "/console/assets/:name",
    { schema: { hide: true } },
    async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (asset === undefined) throw new VaultError("NOT_FOUND", "No such console file");
      reply.header("etag", asset.etag).header("cache-control", "no-cache");
      if (request.headers["if-none-match"] === asset.etag) return reply.code(304).send();
      return reply.type(asset.contentType).send(asset.body);
    },
  );
}

async function registerConsole(app: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const sessions = new ConsoleSessions(options.context, options.settings);
  // On the app itself, so that the API's authentication can find the sessions.
  app.decorate("consoleSessions", sessions);
  await app.register(consoleRoutes, { ...options, sessions, assets: await loadConsoleAssets() });
}

/**
 * The web console at `/console`: sign-in with an admin key for a server-side session, then pages
 * whose script calls the API (`/v1/…`) with the session cookie and a CSRF token. Like
 * fastify-plugin's plugins it decorates the app it is registered on (`app.consoleSessions`); its
 * routes, cookies and security headers live in their own encapsulated scope.
 *
 * @example
 * await app.register(consolePlugin, { context, settings: resolveConsoleSettings(true)! });
 */
export const consolePlugin = Object.assign(registerConsole, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "ass-console",
});
