import { describe, expect, it, vi } from "vitest";
import type { Logger } from "../logger.js";
import { REDACTED, redactFields, redactText } from "./redact.js";
import { safeLogger } from "./safe-logger.js";

describe("redactText", () => {
  it("masks every credential-shaped substring", () => {
    const text =
      "agent ass_live_abc123XYZ, token ast_tok_9f8e-7d_6c and admin ass_admin_Q1 in one line";
    const redacted = redactText(text);
    expect(redacted).toBe(
      `agent ass_live_${REDACTED}, token ast_tok_${REDACTED} and admin ass_admin_${REDACTED} in one line`,
    );
  });

  it("masks the given sensitive values wherever they occur", () => {
    expect(
      redactText("echo canary-value-1f3a twice canary-value-1f3a", ["canary-value-1f3a"]),
    ).toBe(`echo ${REDACTED} twice ${REDACTED}`);
  });

  it("leaves very short values alone rather than mangling the text", () => {
    expect(redactText("version 1 of 1", ["1"])).toBe("version 1 of 1");
  });
});

describe("redactFields", () => {
  it("redacts strings at any depth and keeps other values", () => {
    const when = new Date(0);
    expect(redactFields({ a: "ast_tok_x1", b: { c: ["ass_live_y2"] }, n: 3, when })).toEqual({
      a: `ast_tok_${REDACTED}`,
      b: { c: [`ass_live_${REDACTED}`] },
      n: 3,
      when,
    });
  });
});

describe("safeLogger", () => {
  it("redacts messages and fields before the caller's logger sees them", () => {
    const debug = vi.fn();
    const logger = safeLogger({ debug, info: vi.fn(), warn: vi.fn(), error: vi.fn() });
    logger.debug("used ast_tok_secret1", { token: "ast_tok_secret1" });
    expect(debug).toHaveBeenCalledWith(`used ast_tok_${REDACTED}`, {
      token: `ast_tok_${REDACTED}`,
    });
  });

  it("swallows a logger that throws", () => {
    const broken: Logger = {
      debug: () => {
        throw new Error("disk full");
      },
      info: vi.fn(),
      warn: vi.fn(),
      error: vi.fn(),
    };
    expect(() => safeLogger(broken).debug("x")).not.toThrow();
  });
});
