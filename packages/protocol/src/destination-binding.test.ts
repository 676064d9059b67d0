import { describe, expect, it } from "vitest";
import {
  checkDestinationBinding,
  describeDestinations,
  destinationAllowed,
} from "./destination-binding.js";

describe("destination bindings", () => {
  it("take an origin alone and normalise it", () => {
    expect(checkDestinationBinding({ origin: "https://API.example.com:443" })).toEqual({
      ok: true,
      value: { origin: "https://api.example.com" },
    });
    expect(
      checkDestinationBinding({ origin: "http://127.0.0.1:8080", path_prefixes: ["/v1/"] }),
    ).toEqual({ ok: true, value: { origin: "http://127.0.0.1:8080", path_prefixes: ["/v1/"] } });
  });

  it.each([
    "https://api.example.com/v1",
    "https://api.example.com/",
    "https://user:pw@api.example.com",
    "https://api.example.com?x=1",
    "ftp://api.example.com",
    "api.example.com",
  ])("refuse %s as an origin", (origin) => {
    expect(checkDestinationBinding({ origin }).ok).toBe(false);
  });

  it("refuse prefixes that do not start with / or climb", () => {
    expect(
      checkDestinationBinding({ origin: "https://a.example", path_prefixes: ["v1/"] }).ok,
    ).toBe(false);
    expect(
      checkDestinationBinding({ origin: "https://a.example", path_prefixes: ["/v1/../x"] }).ok,
    ).toBe(false);
  });

  it("allow a URL at a bound origin under a bound prefix, whole segments only", () => {
    const bound = [{ origin: "https://api.example.com", path_prefixes: ["/v1"] }];
    expect(destinationAllowed(bound, new URL("https://api.example.com/v1/models?x=1"))).toBe(true);
    expect(destinationAllowed(bound, new URL("https://api.example.com/v1"))).toBe(true);
    expect(destinationAllowed(bound, new URL("https://api.example.com/v10"))).toBe(false);
    expect(destinationAllowed(bound, new URL("https://api.example.com/v2/models"))).toBe(false);
    expect(destinationAllowed(bound, new URL("https://evil.example/v1/models"))).toBe(false);
    expect(destinationAllowed(bound, new URL("http://api.example.com/v1/models"))).toBe(false);
    expect(
      destinationAllowed([{ origin: "https://a.example" }], new URL("https://a.example/x")),
    ).toBe(true);
    expect(destinationAllowed(null, new URL("https://anything.example/"))).toBe(true);
    expect(destinationAllowed([], new URL("https://anything.example/"))).toBe(false);
  });

  it("describe themselves in one line", () => {
    expect(
      describeDestinations([
        { origin: "https://a.example", path_prefixes: ["/v1/", "/v2/"] },
        { origin: "https://b.example" },
      ]),
    ).toBe("https://a.example/v1/, https://a.example/v2/, https://b.example/");
    expect(describeDestinations(null)).toBe("any destination");
  });
});
