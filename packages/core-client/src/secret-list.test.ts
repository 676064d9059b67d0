import { describe, expect, it, vi } from "vitest";
import { AgentVaultError } from "./errors.js";
import type { SecretMetadata } from "./models/secret-metadata.js";
import type { SecretPage } from "./models/secret-page.js";
import { SecretList } from "./secret-list.js";

function item(path: string): SecretMetadata {
  return {
    path,
    namespace: "prod",
    key: path.split("/").pop() ?? path,
    version: 1,
    tier: "standard",
    secretType: "custom",
    description: null,
    tags: {},
    createdAt: null,
    updatedAt: null,
    accessedAt: null,
    expiresAt: null,
    allowedDestinations: null,
    approval: null,
  };
}

/** Three pages: a, b | c, d | e. */
function pagedFetcher() {
  const pages: Record<string, SecretPage> = {
    start: { namespace: "prod", items: [item("prod/a"), item("prod/b")], nextCursor: "p2" },
    p2: { namespace: "prod", items: [item("prod/c"), item("prod/d")], nextCursor: "p3" },
    p3: { namespace: "prod", items: [item("prod/e")], nextCursor: null },
  };
  return vi.fn(async (cursor: string | undefined) => pages[cursor ?? "start"]!);
}

describe("SecretList", () => {
  it("fetches nothing until awaited or iterated", () => {
    const fetchPage = pagedFetcher();
    new SecretList(fetchPage);
    expect(fetchPage).not.toHaveBeenCalled();
  });

  it("resolves to one page when awaited", async () => {
    const fetchPage = pagedFetcher();
    const page = await new SecretList(fetchPage);
    expect(page.items.map((entry) => entry.path)).toEqual(["prod/a", "prod/b"]);
    expect(page.nextCursor).toBe("p2");
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it("starts from the given cursor", async () => {
    const page = await new SecretList(pagedFetcher(), "p3");
    expect(page.items.map((entry) => entry.path)).toEqual(["prod/e"]);
  });

  it("walks every item of every page with for await", async () => {
    const fetchPage = pagedFetcher();
    const paths: string[] = [];
    for await (const entry of new SecretList(fetchPage)) paths.push(entry.path);
    expect(paths).toEqual(["prod/a", "prod/b", "prod/c", "prod/d", "prod/e"]);
    expect(fetchPage.mock.calls.map(([cursor]) => cursor)).toEqual([undefined, "p2", "p3"]);
  });

  it("stops fetching when the loop breaks early", async () => {
    const fetchPage = pagedFetcher();
    for await (const entry of new SecretList(fetchPage)) {
      if (entry.path === "prod/a") break;
    }
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it("reuses the first page once awaited", async () => {
    const fetchPage = pagedFetcher();
    const list = new SecretList(fetchPage);
    await list;
    const pages: SecretPage[] = [];
    for await (const page of list.pages()) pages.push(page);
    expect(pages).toHaveLength(3);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it("passes a failure to catch()", async () => {
    const list = new SecretList(async () => {
      throw new AgentVaultError("nope", { code: "X" });
    });
    await expect(list.catch((error: unknown) => (error as AgentVaultError).code)).resolves.toBe(
      "X",
    );
  });

  it("refuses to loop forever on a repeated cursor", async () => {
    const looping = async (): Promise<SecretPage> => ({
      namespace: "prod",
      items: [item("prod/a")],
      nextCursor: "same",
    });
    const walk = async () => {
      for await (const _ of new SecretList(looping)) {
        // drain
      }
    };
    await expect(walk()).rejects.toThrow(/repeated a listing cursor/);
  });
});
