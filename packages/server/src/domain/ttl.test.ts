import { describe, expect, it } from "vitest";
import { parseTtl } from "./ttl.js";

describe("parseTtl", () => {
  it.each([
    [3600, 3600],
    [1, 1],
    ["3600", 3600],
    ["90s", 90],
    ["15m", 900],
    ["1h", 3600],
    ["1d", 86_400],
    ["2d", 172_800],
  ])("reads %j as %i seconds", (input, seconds) => {
    expect(parseTtl(input)).toEqual({ ok: true, seconds });
  });

  it.each([0, -5, "0s", "0"])("rejects %j as shorter than one second", (input) => {
    expect(parseTtl(input)).toEqual({ ok: false, message: "ttl must be at least 1 second" });
  });

  it.each([
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "1.5h",
    "1H",
    "1w",
    "h",
    "",
    " 1h",
    "1h ",
    "1h30m",
    "-1h",
    "1e3",
    "9999999999s",
  ])("rejects %j with a message that shows the accepted forms", (input) => {
    const result = parseTtl(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('"15m"');
  });

  it("leaves the upper bound to the caller", () => {
    expect(parseTtl("30d")).toEqual({ ok: true, seconds: 2_592_000 });
  });

  it("rejects something that is neither a number nor a string", () => {
    expect(parseTtl(null as unknown as string).ok).toBe(false);
  });
});
