/// <reference lib="dom" />
import { describe, expect, it } from "vitest";
import {
  keepScreenshot,
  signInThroughPage,
  useBrowser,
  withConsoleServer,
} from "./browser-harness.js";

// Issue 17, item 3: the console rotates an agent's key and one's own admin key (the new key shown
// once, never logged) and hands the operator role on, each after a confirm.

const browser = useBrowser();

describe("rotating keys and handing the operator role on in a real browser", {
  timeout: 90_000,
}, () => {
  it("rotates an agent's key and its own, hands the operator role on, and the old keys are refused", async () => {
    await withConsoleServer({}, async (server) => {
      const agent = await server.call(server.adminKey, "POST", "/v1/agents", {
        name: "billing-bot",
        allowed_scopes: ["secrets:read:billing/*"],
      });
      const oldAgentKey = agent.body.api_key as string;
      const bob = await server.call(server.adminKey, "POST", "/v1/admins", { name: "Bob" });
      const bobKey = bob.body.api_key as string;

      const context = await browser().newContext({ viewport: { width: 1280, height: 1000 } });
      const page = await signInThroughPage(context, server, server.adminKey);
      const logged: string[] = [];
      page.on("console", (message) => logged.push(message.text()));
      await page.getByRole("link", { name: "Agents and admins" }).click();
      await page.waitForURL("**/console/people");
      const keyText = page.locator("#new-key-value");

      // An agent's key: the confirm offers to revoke its tokens; cancelling changes nothing.
      await page.getByRole("button", { name: "Rotate key of agent billing-bot" }).click();
      const dialog = page.getByRole("dialog");
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.textContent()).toContain("Also revoke the tokens the old key minted");
      await keepScreenshot(page, "people-rotate-confirm");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      expect((await server.call(oldAgentKey, "GET", "/v1/me")).status).toBe(200);
      const token = await server.call(oldAgentKey, "POST", "/v1/tokens", {
        scope: "secrets:read:billing/*",
      });
      const tokenValue = token.body.token as string;

      await page.getByRole("button", { name: "Rotate key of agent billing-bot" }).click();
      await dialog.getByLabel("Also revoke the tokens the old key minted").check();
      await dialog.getByRole("button", { name: "Rotate key" }).click();
      await expect.poll(() => keyText.textContent()).toMatch(/^ass_live_/);
      const newAgentKey = (await keyText.textContent()) ?? "";
      await keepScreenshot(page, "people-rotated-agent-key");
      await page.getByRole("button", { name: "I have stored it" }).click();
      expect(await keyText.textContent()).toBe("");
      expect((await server.call(oldAgentKey, "GET", "/v1/me")).status).toBe(401);
      expect((await server.call(tokenValue, "GET", "/v1/tokens/self")).status).toBe(401);
      expect((await server.call(newAgentKey, "GET", "/v1/me")).body.name).toBe("billing-bot");

      // The operator hands the role to Bob.
      await page.getByRole("button", { name: "Make Bob the operator" }).click();
      await dialog.getByRole("button", { name: "Make operator" }).click();
      const bobRole = page.locator("#admins tbody tr", { hasText: "Bob" }).locator("td").nth(1);
      await expect.poll(() => bobRole.textContent()).toBe("operator");
      expect((await server.call(bobKey, "GET", "/v1/me")).body.is_operator).toBe(true);
      // No longer the operator, the page offers no more hand-over.
      expect(await page.getByRole("button", { name: "Make Bob the operator" }).count()).toBe(0);
      await keepScreenshot(page, "people-operator-handed-on");

      // With two admins, a third waits for a second admin: the form says so, the queue shows it.
      await page.locator("#admin-name").fill("Carla");
      await page.getByRole("button", { name: "Create admin" }).click();
      await expect
        .poll(() => page.locator("#admin-form [role=alert]").textContent())
        .toContain("needs a second admin's approval: request apr_");
      expect(await keyText.textContent()).toBe("");
      await page.getByRole("link", { name: "Approvals" }).click();
      await page.waitForURL("**/console/approvals");
      await expect
        .poll(() => page.getByText("Admin action: admins:create:Carla").count())
        .toBeGreaterThan(0);
      await keepScreenshot(page, "approvals-admin-action");
      await page.getByRole("link", { name: "Agents and admins" }).click();
      await page.waitForURL("**/console/people");

      // One's own key: shown once, then the old key and this session stop.
      await page.getByRole("button", { name: /^Rotate key of admin .* \(you\)$/ }).click();
      expect(await dialog.textContent()).toContain("this console session");
      await dialog.getByRole("button", { name: "Rotate key" }).click();
      await expect.poll(() => keyText.textContent()).toMatch(/^ass_admin_/);
      const newAdminKey = (await keyText.textContent()) ?? "";
      expect((await server.call(server.adminKey, "GET", "/v1/me")).status).toBe(401);
      expect((await server.call(newAdminKey, "GET", "/v1/me")).body.kind).toBe("admin");
      await keepScreenshot(page, "people-rotated-own-key");
      await page.getByRole("button", { name: "I have stored it" }).click();
      await page.waitForURL("**/console/sign-in?notice=rotated");
      expect(await page.locator(".notice").textContent()).toContain("Sign in with the new key");
      await keepScreenshot(page, "sign-in-after-rotation");

      for (const key of [newAgentKey, newAdminKey]) {
        expect(logged.some((line) => line.includes(key))).toBe(false);
      }
      await context.close();
    });
  });
});
