import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UNSAFE_TEXT_PATTERN } from "@agentsecretstore/protocol";
import { describe, expect, it } from "vitest";
import { html } from "../../src/console/html.js";

// The console shows text from the vault (names, descriptions, comments) with the protocol's
// unsafe characters written out, on the server-rendered pages and in the browser scripts.

describe("unsafe text in the console", () => {
  it("is written out on server-rendered pages, after HTML escaping's worth of safety", () => {
    const description = "prod/\u202Eyek-ipa <b>\u001b[2K";
    expect(html`<dd>${description}</dd>`.text).toBe(
      "<dd>prod/\\u{202E}yek-ipa &lt;b&gt;\\u{001B}[2K</dd>",
    );
  });

  it("uses the protocol's character class in the browser scripts, which cannot import it", async () => {
    const script = await readFile(
      join(import.meta.dirname, "..", "..", "src", "console", "assets", "console-api.js"),
      "utf8",
    );
    const copy = /const UNSAFE_TEXT = \/(.+)\/gu;/.exec(script)?.[1];
    expect(copy).toBe(UNSAFE_TEXT_PATTERN);
  });

  it("writes them out in the browser scripts' text, as the protocol does", async () => {
    // The script reads its page's CSRF token when loaded; an empty page is enough here.
    Object.assign(globalThis, {
      document: { querySelector: () => null, getElementById: () => null },
    });
    const script: string = "../../src/console/assets/console-api.js";
    const { visibleText } = (await import(script)) as { visibleText(text: string): string };
    const { escapeUnsafeText } = await import("@agentsecretstore/protocol");
    const sample = "a\u0000b\u001b[1A\u009b\u202e\u2066ok ünïcödé 🙂";
    expect(visibleText(sample)).toBe(escapeUnsafeText(sample));
  });
});
