/// <reference lib="dom" />
// page.evaluate() bodies run in the browser: they see the DOM.
import { describe, expect, it } from "vitest";
import {
  keepScreenshot,
  signInThroughPage,
  useBrowser,
  withConsoleServer,
} from "./browser-harness.js";

const browser = useBrowser();

describe("the secrets page in a real browser", { timeout: 90_000 }, () => {
  it("creates, reveals with the key asked again, rotates, changes tier and deletes", async () => {
    await withConsoleServer({}, async (server) => {
      await server.call(server.adminKey, "PUT", "/v1/secrets/production/openai/api-key", {
        value: "fixture-openai-value",
        tier: "standard",
        tags: { team: "ml" },
      });
      const other = await server.call(server.adminKey, "POST", "/v1/admins", { name: "Other" });
      const context = await browser().newContext({ viewport: { width: 1280, height: 1000 } });
      const page = await signInThroughPage(context, server, server.adminKey);
      await page.clock.install();
      await page.getByRole("link", { name: "Secrets" }).click();
      await page.waitForURL("**/console/secrets");

      // Create through the form.
      await page.getByRole("button", { name: "New secret" }).click();
      await page.getByLabel("Path", { exact: true }).fill("staging/db/password");
      await page.getByLabel("Value", { exact: true }).fill("fixture-db-value");
      await page.getByLabel("Tier", { exact: true }).selectOption("sensitive");
      await page.getByLabel("Tags (optional)").fill("team=data, env=staging");
      await page.getByRole("button", { name: "Create secret" }).click();
      await expect
        .poll(() => page.locator("#detail-heading").textContent())
        .toBe("staging/db/password");
      const created = await server.call(server.adminKey, "GET", "/v1/metadata/staging/db/password");
      expect(created.body.tier).toBe("sensitive");
      expect(created.body.tags).toEqual({ team: "data", env: "staging" });

      // The tree shows both namespaces; pick the standard secret.
      await page.locator('.leaf[data-path="production/openai/api-key"]').click();
      await expect.poll(() => page.locator("#secret-facts").textContent()).toContain("team=ml");

      // Reveal: a wrong key and someone else's key are refused in words; your own shows it.
      await page.getByLabel("Admin key", { exact: true }).fill(`ass_admin_${"B".repeat(43)}`);
      await page.getByRole("button", { name: "Reveal" }).click();
      const revealAlert = page.locator("#reveal-form [role=alert]");
      await expect.poll(() => revealAlert.textContent()).toContain("was not accepted");
      await page.getByLabel("Admin key", { exact: true }).fill(other.body.api_key as string);
      await page.getByRole("button", { name: "Reveal" }).click();
      await expect.poll(() => revealAlert.textContent()).toContain("belongs to someone else");
      await page.getByLabel("Admin key", { exact: true }).fill(server.adminKey);
      await page.getByRole("button", { name: "Reveal" }).click();
      await expect
        .poll(() => page.locator("#revealed-value").textContent())
        .toBe("fixture-openai-value");
      expect(await page.getByLabel("Admin key", { exact: true }).inputValue()).toBe("");
      await keepScreenshot(page, "secrets-revealed");
      await page.clock.runFor(31_000);
      expect(await page.locator("#revealed-value").textContent()).toBe("");
      expect(await page.locator("#revealed").isHidden()).toBe(true);
      const reads = await server.call(
        server.adminKey,
        "GET",
        "/v1/audit?event=secret.read&path=production/openai/api-key",
      );
      const valueReads = (
        reads.body.items as { actor_id: string; detail?: { kind?: string } }[]
      ).filter((event) => event.detail?.kind === "value");
      expect(valueReads.length).toBe(1);

      // Rotate with a grace period: two versions, the old one readable until the grace ends.
      await page.getByLabel("New value").fill("fixture-openai-value-2");
      await page.getByLabel("Grace period (seconds)").fill("600");
      await page.getByRole("button", { name: "Rotate" }).click();
      await expect.poll(() => page.locator("#versions tbody tr").count()).toBe(2);
      expect(await page.locator("#versions tbody tr").nth(1).textContent()).toContain(
        "grace period",
      );

      // Change tier (a new version with the value entered again).
      await page.getByLabel("New tier").selectOption("critical");
      await page.getByLabel("Value for the new version").fill("fixture-openai-value-2");
      await page.getByRole("button", { name: "Change tier" }).click();
      await expect.poll(() => page.locator("#secret-facts .tier").textContent()).toBe("critical");
      const raised = await server.call(
        server.adminKey,
        "GET",
        "/v1/metadata/production/openai/api-key",
      );
      expect(raised.body.tier).toBe("critical");
      expect(raised.body.tags).toEqual({ team: "ml" });
      await keepScreenshot(page, "secrets");

      // Delete with typed confirmation: a wrong path is refused in words.
      await page.getByLabel("Type the path to confirm").fill("production/openai");
      await page.getByRole("button", { name: "Delete secret" }).click();
      await expect
        .poll(() => page.locator("#delete-form [role=alert]").textContent())
        .toContain("exactly");
      await page.getByLabel("Type the path to confirm").fill("production/openai/api-key");
      await page.getByRole("button", { name: "Delete secret" }).click();
      await expect
        .poll(() => page.locator('.leaf[data-path="production/openai/api-key"]').count())
        .toBe(0);
      const gone = await server.call(
        server.adminKey,
        "GET",
        "/v1/metadata/production/openai/api-key",
      );
      expect(gone.status).toBe(404);

      const phone = await browser().newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
      });
      const phonePage = await signInThroughPage(phone, server, server.adminKey);
      await phonePage.goto(`${server.baseUrl}/console/secrets#path=staging/db/password`);
      await expect
        .poll(() => phonePage.locator("#detail-heading").textContent())
        .toBe("staging/db/password");
      await keepScreenshot(phonePage, "secrets-phone");
      expect(
        await phonePage.evaluate(() => document.documentElement.scrollWidth > window.innerWidth),
      ).toBe(false);
      await phone.close();
      await context.close();
    });
  });
});
