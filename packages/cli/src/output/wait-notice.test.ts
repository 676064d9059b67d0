import { describe, expect, it } from "vitest";
import { waitLine } from "./wait-notice.js";

const base = { attempt: 1, method: "GET", path: "/v1/secrets/app/db" } as const;

describe("waitLine", () => {
  it("names a rate limit's Retry-After wait in whole seconds", () => {
    expect(
      waitLine({ ...base, delayMs: 11_200, retryAfter: true, code: "RATE_LIMITED", status: 429 }),
    ).toBe("waiting 12 s: rate limited by the vault (Retry-After)");
  });

  it("names other Retry-After waits and backoff waits, in tenths below a second", () => {
    expect(
      waitLine({ ...base, delayMs: 3000, retryAfter: true, code: "INTERNAL", status: 503 }),
    ).toBe("waiting 3 s: the vault answered 503 (Retry-After)");
    expect(
      waitLine({ ...base, delayMs: 420, retryAfter: false, code: "NETWORK_ERROR", status: null }),
    ).toBe("waiting 0.4 s: retrying GET /v1/secrets/app/db after NETWORK_ERROR");
  });
});
