/// <reference lib="dom" />
// page.evaluate() bodies run in the browser: they see the DOM.
import { describe, expect, it } from "vitest";
import { startUpstreamStub } from "../../helpers/upstream-stub.js";
import {
  keepScreenshot,
  signInThroughPage,
  useBrowser,
  withConsoleServer,
} from "./browser-harness.js";

const browser = useBrowser();

describe("tokens, agents and admins, audit in a real browser", { timeout: 90_000 }, () => {
  it("shows token families as trees and revokes a branch with its descendants", async () => {
    await withConsoleServer({}, async (server) => {
      // A child never outlives its parent: each generation asks for less time.
      const mint = async (credential: string, description: string, ttlSeconds: number) => {
        const answer = await server.call(credential, "POST", "/v1/tokens", {
          scope: "secrets:read:team/*",
          description,
          ttl_seconds: ttlSeconds,
        });
        expect(answer.status).toBe(201);
        return answer.body as { token: string; token_id: string };
      };
      const root = await mint(server.agentKey, "orchestrator run", 900);
      const child = await mint(root.token, "researcher subagent", 600);
      const grandchild = await mint(child.token, "search tool", 300);
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInThroughPage(context, server, server.adminKey);
      await page.getByRole("link", { name: "Tokens" }).click();
      const nested = page.locator(
        `[data-token-id="${root.token_id}"] [data-token-id="${child.token_id}"] [data-token-id="${grandchild.token_id}"]`,
      );
      await nested.waitFor();
      const childItem = page.locator(`[data-token-id="${child.token_id}"]`);
      expect(await childItem.locator(".help").first().textContent()).toBe(
        "Also revokes its 1 descendant.",
      );
      await keepScreenshot(page, "tokens");
      await childItem.getByRole("button", { name: "Revoke" }).first().click();
      await expect.poll(() => page.locator(`[data-token-id="${child.token_id}"]`).count()).toBe(0);
      expect(await page.locator(`[data-token-id="${root.token_id}"]`).count()).toBe(1);
      expect((await server.call(grandchild.token, "GET", "/v1/tokens/self")).status).toBe(401);
      expect((await server.call(root.token, "GET", "/v1/tokens/self")).status).toBe(200);
      await context.close();
    });
  });

  it("creates agents and admins with the key shown once and copied, deletes them, and audits it all", async () => {
    await withConsoleServer({}, async (server) => {
      const context = await browser().newContext({ viewport: { width: 1280, height: 1000 } });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], {
        origin: server.baseUrl,
      });
      const page = await signInThroughPage(context, server, server.adminKey);
      await page.getByRole("link", { name: "Agents and admins" }).click();
      await page.waitForURL("**/console/people");

      await page.getByLabel("Name", { exact: true }).first().fill("billing-bot");
      await page
        .getByLabel("Allowed scopes")
        .fill("secrets:read:billing/*, secrets:write:billing/*");
      await page.getByRole("button", { name: "Create agent" }).click();
      const keyText = page.locator("#new-key-value");
      await expect.poll(() => keyText.textContent()).toMatch(/^ass_live_/);
      const agentKey = (await keyText.textContent()) ?? "";
      await page.getByRole("button", { name: "Copy key" }).click();
      await expect.poll(() => page.locator("#copy-status").textContent()).toBe("Copied.");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(agentKey);
      await keepScreenshot(page, "people-key-once");
      await page.getByRole("button", { name: "I have stored it" }).click();
      expect(await page.locator("#new-key").isHidden()).toBe(true);
      expect(await keyText.textContent()).toBe("");
      const me = await server.call(agentKey, "GET", "/v1/me");
      expect(me.body.kind).toBe("agent");
      expect(me.body.name).toBe("billing-bot");

      await page.locator("#admin-name").fill("Carla Approver");
      await page.getByRole("button", { name: "Create admin" }).click();
      await expect.poll(() => keyText.textContent()).toMatch(/^ass_admin_/);
      await page.getByRole("button", { name: "I have stored it" }).click();
      await expect.poll(() => page.locator("#admins tbody tr").count()).toBe(2);

      // Delete asks once more; then the agent's key stops working.
      const row = page.locator("#agents tbody tr", { hasText: "billing-bot" });
      await row.getByRole("button", { name: "Delete agent billing-bot" }).click();
      await row.getByRole("button", { name: "Confirm: delete agent billing-bot" }).click();
      await expect
        .poll(() => page.locator("#agents tbody tr", { hasText: "billing-bot" }).count())
        .toBe(0);
      expect((await server.call(agentKey, "GET", "/v1/me")).status).toBe(401);
      await keepScreenshot(page, "people");

      await page.getByRole("link", { name: "Audit" }).click();
      await expect.poll(() => page.locator("#chain").textContent()).toContain("Verified");
      await page.getByLabel("Event").fill("agent.created");
      await page.getByRole("button", { name: "Apply filters" }).click();
      // The first start's default agent, and billing-bot.
      await expect.poll(() => page.locator("#events tbody tr").count()).toBe(2);
      for (const text of await page.locator("#events tbody tr").allTextContents()) {
        expect(text).toContain("agent.created");
      }
      await page.getByLabel("Event").fill("");
      await page.getByLabel("From").fill("2000-01-02T10:00");
      await page.getByLabel("Until").fill("2000-01-01T10:00");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect
        .poll(() => page.locator("#filters [role=alert]").textContent())
        .toContain("swap them");
      await page.getByLabel("From").fill("");
      await page.getByLabel("Until").fill("");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect.poll(() => page.locator("#events tbody tr").count()).toBeGreaterThan(3);
      await keepScreenshot(page, "audit");
      await context.close();
    });
  });

  it("shows a brokered call's start and end on the audit page, and only a refusal as one", async () => {
    const upstream = await startUpstreamStub();
    const broker = {
      routes: [
        {
          name: "stub",
          upstream: upstream.origin,
          secretPath: "team/stub/key",
          header: "Authorization: Bearer {value}",
        },
      ],
    };
    try {
      await withConsoleServer({ broker }, async (server) => {
        const stored = await server.call(server.adminKey, "PUT", "/v1/secrets/team/stub/key", {
          value: "console-broker-fixture-value",
        });
        expect(stored.status).toBe(201);
        const mint = async (scope: string) => {
          const minted = await server.call(server.agentKey, "POST", "/v1/tokens", {
            scope,
            ttl_seconds: 600,
          });
          return (minted.body as { token: string }).token;
        };
        const allowed = await fetch(`${server.baseUrl}/v1/broker/stub/x`, {
          headers: { authorization: `Bearer ${await mint("secrets:use:team/stub/*")}` },
        });
        expect(allowed.status).toBe(200);
        await allowed.arrayBuffer();
        const refused = await fetch(`${server.baseUrl}/v1/broker/stub/x`, {
          headers: { authorization: `Bearer ${await mint("secrets:use:team/other/*")}` },
        });
        expect(refused.status).toBe(403);
        await refused.arrayBuffer();
        const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
        const page = await signInThroughPage(context, server, server.adminKey);
        await page.getByRole("link", { name: "Audit" }).click();
        await page.getByLabel("Event").fill("secret.used");
        await page.getByRole("button", { name: "Apply filters" }).click();
        await expect.poll(() => page.locator("#events tbody tr").count()).toBe(3);
        const outcomes = await page
          .locator("#events tbody tr td:nth-child(3)")
          .evaluateAll((cells) =>
            cells.map(
              (cell) => `${cell.textContent}${cell.className ? ` (${cell.className})` : ""}`,
            ),
          );
        // Newest first: the refusal, then the call's end, then its start.
        expect(outcomes).toEqual(["denied (status-denied)", "success", "started"]);
        await keepScreenshot(page, "audit-broker");
        await context.close();
      });
    } finally {
      await upstream.close();
    }
  });
});
