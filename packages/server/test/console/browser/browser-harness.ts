import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createServer } from "../../../src/create-server.js";
import type { ServerConfig } from "../../../src/server-config.js";
import type { VaultServer } from "../../../src/vault-server.js";
import { callJson } from "../../helpers/server-process.js";
import { freshDatabaseConfig } from "../../helpers/test-database.js";
import { UNTHROTTLED } from "../../helpers/test-server.js";

/** Where screenshots go (gitignored): open them and look. */
export const ARTIFACTS = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../test-artifacts/console",
);

/** Debian's chromium (`apt-get install -y chromium`); playwright cannot download its own here. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * One browser for the test file: launched before its tests, closed after them. Call at the top
 * of the file; the returned function gives the browser inside a test.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error("the browser is not running");
    return browser;
  };
}

/** A vault on a real loopback socket, with real time, and the first start's keys. */
export type ConsoleServer = {
  app: VaultServer;
  baseUrl: string;
  adminKey: string;
  agentKey: string;
  /** Calls the API with a credential (the test's stand-in for an agent or the CLI). */
  call(
    credential: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
};

export async function startConsoleServer(
  overrides: Partial<ServerConfig> = {},
): Promise<ConsoleServer> {
  const app = await createServer({
    masterKey: randomBytes(32),
    database: await freshDatabaseConfig(),
    rateLimits: UNTHROTTLED,
    ...overrides,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const baseUrl = `http://127.0.0.1:${address.port}`;
  if (app.firstStart === null) throw new Error("expected a first start");
  return {
    app,
    baseUrl,
    adminKey: app.firstStart.adminKey,
    agentKey: app.firstStart.agentKey,
    call: (credential, method, path, body) => callJson(method, baseUrl + path, credential, body),
  };
}

/** Runs `work` against a fresh console server, closed afterwards whatever happens. */
export async function withConsoleServer(
  overrides: Partial<ServerConfig>,
  work: (server: ConsoleServer) => Promise<void>,
): Promise<void> {
  const server = await startConsoleServer(overrides);
  try {
    await work(server);
  } finally {
    await server.app.close();
  }
}

/** Signs in through the page, as a person would: type the key, press "Sign in". */
export async function signInThroughPage(
  context: BrowserContext,
  server: ConsoleServer,
  adminKey: string,
): Promise<Page> {
  const page = await context.newPage();
  // The page's own errors belong in the test's output: a broken script fails loudly.
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`page console: ${message.text()}`);
  });
  await page.goto(`${server.baseUrl}/console`);
  await page.getByLabel("Admin key").fill(adminKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/console/approvals");
  return page;
}

/** Keeps a screenshot of the page under test-artifacts/console/. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
