import { describe, expect, it } from "vitest";
import { createStderrLogger } from "./stderr-logger.js";

function capture(level?: Parameters<typeof createStderrLogger>[0]["level"]) {
  const lines: string[] = [];
  const logger = createStderrLogger({
    stream: { write: (chunk: string) => lines.push(chunk) },
    ...(level !== undefined && { level }),
    mask: (text) => text.replaceAll("fixture-secret-99", "[REDACTED]"),
  });
  return { logger, lines };
}

describe("createStderrLogger", () => {
  it("writes one masked line per message, fields included", () => {
    const { logger, lines } = capture();
    logger.warn("saw fixture-secret-99", { header: "Bearer fixture-secret-99" });
    expect(lines).toEqual(['ass-mcp warn: saw [REDACTED] {"header":"Bearer [REDACTED]"}\n']);
  });

  it("drops messages below its level", () => {
    const { logger, lines } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.error("e");
    expect(lines).toEqual(["ass-mcp error: e\n"]);
  });

  it("writes nothing when silent", () => {
    const { logger, lines } = capture("silent");
    logger.error("e");
    expect(lines).toEqual([]);
  });
});
