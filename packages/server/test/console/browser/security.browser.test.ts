/// <reference lib="dom" />
// page.evaluate() bodies run in the browser: they see the DOM.
import { createServer as createHttpServer, type Server } from "node:http";
import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  type ConsoleServer,
  keepScreenshot,
  signInThroughPage,
  startConsoleServer,
  useBrowser,
  withConsoleServer,
} from "./browser-harness.js";

const browser = useBrowser();

async function pendingRequest(server: ConsoleServer, path: string): Promise<string> {
  await server.call(server.adminKey, "PUT", `/v1/secrets/${path}`, {
    value: "fixture-value",
    tier: "sensitive",
  });
  const read = await server.call(server.agentKey, "GET", `/v1/secrets/${path}`);
  return (read.body as { error: { approval_request_id: string } }).error.approval_request_id;
}

/** Another site (localhost, not 127.0.0.1) serving one page that attacks the console. */
async function attackerSite(markup: string): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(markup);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://localhost:${address.port}/`, server };
}

/** Bytes a page load moved over the wire: every response's headers and body. */
async function transferredBytes(page: Page, url: string): Promise<number> {
  const requests: Promise<number>[] = [];
  const onFinished = (request: Request) => {
    requests.push(
      request.sizes().then((sizes) => sizes.responseHeadersSize + sizes.responseBodySize),
    );
  };
  page.on("requestfinished", onFinished);
  await page.goto(url, { waitUntil: "networkidle" });
  page.off("requestfinished", onFinished);
  return (await Promise.all(requests)).reduce((sum, size) => sum + size, 0);
}

describe("console sessions and CSRF in a real browser", { timeout: 60_000 }, () => {
  it("refuses a forged cross-site POST and a same-origin one without the CSRF token", async () => {
    const server = await startConsoleServer();
    const approvalId = await pendingRequest(server, "team/forged/db-password");
    const target = `${server.baseUrl}/v1/approvals/${approvalId}/approve`;
    const attacker = await attackerSite(`<!doctype html><html><body>
<form id="f" method="POST" action="${target}" enctype="text/plain">
<input name='{"comment":"forged","x":"' value='"}'></form>
<script>
fetch(${JSON.stringify(target)}, { method: "POST", credentials: "include", mode: "no-cors",
  headers: { "content-type": "text/plain" }, body: "{}" }).finally(() => document.getElementById("f").submit());
</script></body></html>`);
    try {
      const context = await browser().newContext();
      const page = await signInThroughPage(context, server, server.adminKey);
      const evil = await context.newPage();
      const forgedAnswer = evil.waitForResponse(target);
      await evil.goto(attacker.url);
      expect((await forgedAnswer).status()).toBe(401);
      await evil.waitForLoadState("load");
      const sameOrigin = await page.evaluate(async (url) => {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        return response.status;
      }, target);
      expect(sameOrigin).toBe(401);
      const state = await server.call(server.adminKey, "GET", `/v1/approvals/${approvalId}`);
      expect(state.body.status).toBe("pending");
      expect(state.body.approvals).toEqual([]);
      // The page itself, with its token, still works.
      const card = page.locator(`[data-approval-id="${approvalId}"]`);
      await card.getByRole("button", { name: "Approve" }).click();
      await page.locator(`#decided [data-approval-id="${approvalId}"] .status-approved`).waitFor();
      await context.close();
    } finally {
      attacker.server.close();
      await server.app.close();
    }
  });

  it("shows an expired session in words and sends the person to sign in again", async () => {
    await withConsoleServer(
      {
        console: { idleTimeoutSeconds: 2, absoluteTimeoutSeconds: 3600 },
      },
      async (server) => {
        const approvalId = await pendingRequest(server, "team/idle/db-password");
        const context = await browser().newContext();
        const page = await signInThroughPage(context, server, server.adminKey);
        const card = page.locator(`[data-approval-id="${approvalId}"]`);
        await card.waitFor();
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await card.getByRole("button", { name: "Approve" }).click();
        const alert = card.getByRole("alert");
        await expect.poll(() => alert.textContent()).toContain("Your session has ended");
        await keepScreenshot(page, "session-expired");
        await alert.getByRole("link", { name: "Sign in again" }).click();
        await page.waitForURL("**/console/sign-in?notice=ended");
        expect(await page.getByRole("status").textContent()).toContain("Your session ended");
        const state = await server.call(server.adminKey, "GET", `/v1/approvals/${approvalId}`);
        expect(state.body.status).toBe("pending");
        await context.close();
      },
    );
  });

  it("refuses a cookie stolen before sign-out", async () => {
    await withConsoleServer({}, async (server) => {
      const victim = await browser().newContext();
      const page = await signInThroughPage(victim, server, server.adminKey);
      const stolen = await victim.cookies();
      expect(stolen.map((cookie) => cookie.name)).toEqual(["ass_console_session"]);
      expect(stolen[0]?.httpOnly).toBe(true);
      expect(stolen[0]?.sameSite).toBe("Strict");
      expect(await page.evaluate(() => document.cookie)).toBe("");
      expect(await page.content()).not.toContain(server.adminKey);
      expect(
        await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage })),
      ).toBe("{}");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/console/sign-in?notice=signed-out");
      await keepScreenshot(page, "sign-in-signed-out");

      const thief = await browser().newContext();
      await thief.addCookies(stolen);
      const thiefPage = await thief.newPage();
      await thiefPage.goto(`${server.baseUrl}/console/approvals`);
      expect(new URL(thiefPage.url()).pathname).toBe("/console/sign-in");
      const status = await thiefPage.evaluate(async () => (await fetch("/v1/approvals")).status);
      expect(status).toBe(401);
      await victim.close();
      await thief.close();
    });
  });

  it("keeps the first page under 100 KB transferred", async () => {
    await withConsoleServer({}, async (server) => {
      const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const signInBytes = await transferredBytes(page, `${server.baseUrl}/console`);
      await keepScreenshot(page, "sign-in");
      const phone = await browser().newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
      });
      const phonePage = await phone.newPage();
      await phonePage.goto(`${server.baseUrl}/console/sign-in`);
      await keepScreenshot(phonePage, "sign-in-phone");
      // The first signed-in page, in a fresh browser: sign-in's files are cached by then.
      const signedInContext = await browser().newContext();
      const signedIn = await signInThroughPage(signedInContext, server, server.adminKey);
      const approvalsBytes = await transferredBytes(
        signedIn,
        `${server.baseUrl}/console/approvals`,
      );
      await signedInContext.close();
      console.log(
        `console: first page (sign-in) ${(signInBytes / 1024).toFixed(1)} KB transferred; approvals page ${(approvalsBytes / 1024).toFixed(1)} KB`,
      );
      expect(signInBytes).toBeGreaterThan(1000);
      expect(signInBytes).toBeLessThanOrEqual(100 * 1024);
      expect(approvalsBytes).toBeLessThanOrEqual(100 * 1024);
      await context.close();
      await phone.close();
    });
  });
});
