import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { maskEcho, maskEchoInHeaders } from "./mask-echo.js";

const VALUE = "mask-fixture-value-42";

async function through(chunks: string[]): Promise<string> {
  return text(Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(maskEcho(VALUE)));
}

describe("maskEcho", () => {
  it("masks the value whole, also split over chunks, keeping the length", async () => {
    const input = `{"echo":"${VALUE}","again":"${VALUE}"}`;
    for (let cut = 1; cut < input.length; cut += 1) {
      const output = await through([input.slice(0, cut), input.slice(cut)]);
      expect(output).not.toContain(VALUE);
      expect(output).toHaveLength(input.length);
      expect(output).toContain("*".repeat(VALUE.length));
    }
  });

  it("passes what never echoes the value on unchanged, and a start of it that does not go on", async () => {
    expect(await through(["data: one\n\n", "data: two\n\n"])).toBe("data: one\n\ndata: two\n\n");
    expect(await through(["ends with mask-fix", "ed"])).toBe("ends with mask-fixed");
  });

  it("masks header values", () => {
    expect(
      maskEchoInHeaders({ "x-echo": `Bearer ${VALUE}`, "set-cookie": [VALUE] }, VALUE),
    ).toEqual({
      "x-echo": `Bearer ${"*".repeat(VALUE.length)}`,
      "set-cookie": ["*".repeat(VALUE.length)],
    });
  });
});
