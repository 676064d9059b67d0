import { describe, expect, it } from "vitest";
import {
  AgentVaultAbortError,
  AgentVaultAuthError,
  AgentVaultConflictError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
  AgentVaultTimeoutError,
  AgentVaultValidationError,
} from "../errors.js";
import { backoffDelay, isRetryable, nextRetryDelay } from "./retry-policy.js";

const options = { code: "X" };

describe("isRetryable", () => {
  it("retries connection errors, timeouts, 429 and 5xx", () => {
    expect(isRetryable(new AgentVaultNetworkError("m", options))).toBe(true);
    expect(isRetryable(new AgentVaultTimeoutError("m", { code: "TIMEOUT", status: 408 }))).toBe(
      true,
    );
    expect(isRetryable(new AgentVaultRateLimitError("m", options))).toBe(true);
    expect(isRetryable(new AgentVaultServerError("m", options))).toBe(true);
  });

  it("never retries a caller's abort", () => {
    expect(isRetryable(new AgentVaultAbortError("m", options))).toBe(false);
  });

  it("does not retry answers that asking again cannot change", () => {
    expect(isRetryable(new AgentVaultValidationError("m", options))).toBe(false);
    expect(isRetryable(new AgentVaultAuthError("m", options))).toBe(false);
    expect(isRetryable(new AgentVaultPermissionError("m", options))).toBe(false);
    expect(isRetryable(new AgentVaultNotFoundError("m", options))).toBe(false);
    expect(isRetryable(new AgentVaultConflictError("m", options))).toBe(false);
  });
});

describe("backoffDelay", () => {
  it("doubles the ceiling from 500 ms per retry up to 8 s", () => {
    const highest = () => 0.999_999;
    expect(backoffDelay(0, highest)).toBe(499);
    expect(backoffDelay(1, highest)).toBe(999);
    expect(backoffDelay(2, highest)).toBe(1999);
    expect(backoffDelay(4, highest)).toBe(7999);
    expect(backoffDelay(10, highest)).toBe(7999);
  });

  it("uses full jitter: anything from zero up to the ceiling", () => {
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
  });
});

describe("nextRetryDelay", () => {
  it("honours Retry-After instead of the backoff", () => {
    expect(nextRetryDelay(0, 7000, () => 0)).toBe(7000);
  });

  it("caps Retry-After at 60 s", () => {
    expect(nextRetryDelay(0, 3_600_000, () => 0)).toBe(60_000);
  });

  it("falls back to the backoff without Retry-After", () => {
    expect(nextRetryDelay(1, null, () => 0.5)).toBe(500);
  });
});
