/// <reference lib="dom" />
// page.evaluate() bodies run in the browser: they see the DOM.
import { describe, expect, it } from "vitest";
import {
  type ConsoleServer,
  keepScreenshot,
  signInThroughPage,
  useBrowser,
  withConsoleServer,
} from "./browser-harness.js";

const browser = useBrowser();

async function secondAdmin(server: ConsoleServer, name: string): Promise<string> {
  const created = await server.call(server.adminKey, "POST", "/v1/admins", { name });
  return created.body.api_key as string;
}

/** An agent's read of a secret above standard tier opens an approval request (202). */
async function agentAsks(server: ConsoleServer, path: string): Promise<string> {
  const read = await server.call(server.agentKey, "GET", `/v1/secrets/${path}`);
  expect(read.status).toBe(202);
  return (read.body as { error: { approval_request_id: string } }).error.approval_request_id;
}

describe("the approvals page in a real browser", { timeout: 60_000 }, () => {
  it("takes a critical read through two different admins and the delay, then the agent reads", async () => {
    await withConsoleServer({ approvals: { criticalDelaySeconds: 4 } }, async (server) => {
      const secondKey = await secondAdmin(server, "Bea Second");
      const put = await server.call(
        server.adminKey,
        "PUT",
        "/v1/secrets/production/payments/stripe-key",
        {
          value: "fixture-not-a-real-key",
          tier: "critical",
        },
      );
      expect(put.status).toBe(201);
      const approvalId = await agentAsks(server, "production/payments/stripe-key");

      const first = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const second = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const pageA = await signInThroughPage(first, server, server.adminKey);
      const card = pageA.locator(`[data-approval-id="${approvalId}"]`);
      await expect.poll(() => card.count()).toBe(1);
      expect(await card.textContent()).toContain("Read production/payments/stripe-key");
      expect(await card.locator(".tier").textContent()).toBe("critical");
      await keepScreenshot(pageA, "approvals-critical-pending");

      await card.getByLabel("Comment (optional)").fill("checked the ticket");
      await card.getByRole("button", { name: "Approve" }).click();
      await expect
        .poll(() => card.textContent())
        .toContain(
          "You have approved this request. A second, different admin must approve it too.",
        );
      expect(await card.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
      // The API also refuses the same person twice (the page never offers it).
      const twice = await server.call(
        server.adminKey,
        "POST",
        `/v1/approvals/${approvalId}/approve`,
        {},
      );
      expect(twice.status).toBe(409);

      const pageB = await signInThroughPage(second, server, secondKey);
      const cardB = pageB.locator(`[data-approval-id="${approvalId}"]`);
      await expect.poll(() => cardB.textContent()).toContain("1 of 2");
      expect(await cardB.textContent()).toContain("checked the ticket");
      await keepScreenshot(pageB, "approvals-second-admin");
      await cardB.getByRole("button", { name: "Approve" }).click();

      // Both pages show the countdown with a cancel button; the first hears of it by itself.
      const countdownA = card.locator(".countdown");
      await countdownA.waitFor({ timeout: 2000 });
      expect(await card.getByRole("button", { name: "Cancel request" }).isEnabled()).toBe(true);
      await cardB.locator(".countdown").waitFor({ timeout: 2000 });
      await keepScreenshot(pageA, "approvals-critical-countdown");

      // The countdown ends: the request is approved on both pages, and the agent reads.
      const decidedA = pageA.locator(`#decided [data-approval-id="${approvalId}"]`);
      await decidedA.waitFor({ timeout: 10_000 });
      expect(await decidedA.locator(".status-approved").textContent()).toBe("approved");
      await pageB.locator(`#decided [data-approval-id="${approvalId}"]`).waitFor({ timeout: 3000 });
      await keepScreenshot(pageA, "approvals-after-delay");
      const read = await server.call(
        server.agentKey,
        "GET",
        "/v1/secrets/production/payments/stripe-key",
      );
      expect(read.status).toBe(200);
      expect(read.body.value).toBe("fixture-not-a-real-key");
      await first.close();
      await second.close();
    });
  });

  it("denies with a comment, cancels, and shows a request made elsewhere within 2 s", async () => {
    await withConsoleServer({}, async (server) => {
      for (const path of ["team/a/db-password", "team/b/db-password", "team/c/db-password"]) {
        await server.call(server.adminKey, "PUT", `/v1/secrets/${path}`, {
          value: "fixture-value",
          tier: "sensitive",
        });
      }
      const denyId = await agentAsks(server, "team/a/db-password");
      const cancelId = await agentAsks(server, "team/b/db-password");
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInThroughPage(context, server, server.adminKey);
      const denyCard = page.locator(`#pending [data-approval-id="${denyId}"]`);
      await denyCard.waitFor();
      await denyCard.getByLabel("Comment (optional)").fill("not during the freeze");
      await denyCard.getByRole("button", { name: "Deny" }).click();
      const denied = page.locator(`#decided [data-approval-id="${denyId}"]`);
      await denied.waitFor();
      expect(await denied.textContent()).toContain("not during the freeze");
      expect(await denied.locator(".status-denied").textContent()).toBe("denied");

      const cancelCard = page.locator(`#pending [data-approval-id="${cancelId}"]`);
      await cancelCard.getByRole("button", { name: "Cancel request" }).click();
      await page.locator(`#decided [data-approval-id="${cancelId}"] .status-cancelled`).waitFor();
      const statuses = await Promise.all(
        [denyId, cancelId].map(
          async (id) =>
            (await server.call(server.adminKey, "GET", `/v1/approvals/${id}`)).body.status,
        ),
      );
      expect(statuses).toEqual(["denied", "cancelled"]);

      // A request made elsewhere (the agent, through the API) appears without a reload.
      await page.getByText("Live: changes made elsewhere").waitFor();
      const started = Date.now();
      const laterId = await agentAsks(server, "team/c/db-password");
      await page.locator(`#pending [data-approval-id="${laterId}"]`).waitFor({ timeout: 2000 });
      console.log(
        `console: a new request appeared on the page ${Date.now() - started} ms after it was made`,
      );
      // …and a decision made elsewhere (the CLI's API call) takes it off the list.
      await server.call(server.adminKey, "POST", `/v1/approvals/${laterId}/deny`, {});
      await page
        .locator(`#decided [data-approval-id="${laterId}"] .status-denied`)
        .waitFor({ timeout: 2000 });
      await keepScreenshot(page, "approvals-decided");

      // Keyboard only: focus the comment field and the buttons with Tab, act with Enter.
      const fourth = await agentAsks(server, "team/a/db-password");
      const fourthCard = page.locator(`#pending [data-approval-id="${fourth}"]`);
      await fourthCard.waitFor({ timeout: 2000 });
      await fourthCard.getByLabel("Comment (optional)").focus();
      await page.keyboard.type("by keyboard");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Approve");
      await page.keyboard.press("Enter");
      await page.locator(`#decided [data-approval-id="${fourth}"] .status-approved`).waitFor();

      const phone = await browser().newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
      });
      const phonePage = await signInThroughPage(phone, server, server.adminKey);
      await agentAsks(server, "team/b/db-password");
      await phonePage.locator("#pending li").first().waitFor({ timeout: 2000 });
      await keepScreenshot(phonePage, "approvals-phone");
      const overflow = await phonePage.evaluate(
        () => document.documentElement.scrollWidth > window.innerWidth,
      );
      expect(overflow).toBe(false);
      await phone.close();
      await context.close();
    });
  });
});
