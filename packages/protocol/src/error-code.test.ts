import { describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_STATUS, isErrorCode } from "./error-code.js";

describe("error codes", () => {
  it("maps every code to a 2xx (pending) or 4xx/5xx status", () => {
    for (const code of ERROR_CODES) {
      const status = ERROR_STATUS[code];
      expect(code === "APPROVAL_PENDING" ? status === 202 : status >= 400).toBe(true);
    }
  });

  it("recognises codes and nothing inherited from Object", () => {
    expect(isErrorCode("SCOPE_DENIED")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("scope_denied")).toBe(false);
  });
});
