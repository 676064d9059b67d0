import { describe, expect, it, vi } from "vitest";
import { AuditList } from "./audit-list.js";
import type { AuditEvent } from "./models/audit-event.js";
import { type Page, PagedList } from "./paged-list.js";

function event(id: string): AuditEvent {
  return {
    id,
    seq: null,
    at: new Date("2026-01-15T10:30:00.000Z"),
    event: "secret.read",
    actorType: "agent",
    actorId: null,
    tokenId: null,
    path: null,
    version: null,
    ip: null,
    outcome: "success",
    requestId: null,
    detail: {},
    hash: `h-${id}`,
    prevHash: "",
  };
}

describe("PagedList", () => {
  it("pages through any kind of item", async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], nextCursor: "n" },
      n: { items: [3], nextCursor: null },
    };
    const fetchPage = vi.fn(async (cursor: string | undefined) => pages[cursor ?? "start"]!);
    const numbers: number[] = [];
    for await (const value of new PagedList<number>(fetchPage)) numbers.push(value);
    expect(numbers).toEqual([1, 2, 3]);
  });
});

describe("AuditList", () => {
  it("walks every event of every page", async () => {
    const fetchPage = vi.fn(async (cursor: string | undefined) =>
      cursor === undefined
        ? { items: [event("a")], nextCursor: "2" }
        : { items: [event("b")], nextCursor: null },
    );
    const ids: string[] = [];
    for await (const item of new AuditList(fetchPage)) ids.push(item.id);
    expect(ids).toEqual(["a", "b"]);
  });

  it("names the audit log when the vault repeats a cursor", async () => {
    const looping = async () => ({ items: [event("a")], nextCursor: "same" });
    const walk = async () => {
      for await (const _ of new AuditList(looping)) {
        // drain
      }
    };
    await expect(walk()).rejects.toThrow(/repeated a listing cursor for the audit log/);
  });
});
