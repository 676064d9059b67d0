import { SecretRegistry } from "@agentsecretstore/agent-tools";
import type { Telemetry } from "ai";
import { describe, expect, it } from "vitest";
import { redactTelemetry } from "./redact-telemetry.js";

const VALUE = "fixture-telemetry-value-1e5f";

class Tracer {
  readonly seen: unknown[] = [];
  onStart(event: unknown) {
    this.seen.push(event);
  }
  onToolExecutionEnd(event: unknown) {
    this.seen.push(event);
  }
}

describe("redactTelemetry", () => {
  it("passes every event on with the registered values masked, leaving the event itself alone", () => {
    const registry = new SecretRegistry();
    registry.add(VALUE, { visibleToModel: true });
    const tracer = new Tracer();
    const redacted = redactTelemetry(tracer as unknown as Telemetry, { registry });
    const event = { prompt: `key ${VALUE}`, messages: [{ content: [{ text: VALUE }] }] };
    redacted.onStart?.(event as never);
    expect(tracer.seen).toEqual([
      { prompt: "key [REDACTED]", messages: [{ content: [{ text: "[REDACTED]" }] }] },
    ]);
    expect(event.prompt).toBe(`key ${VALUE}`);
  });

  it("masks error messages in the events", () => {
    const registry = new SecretRegistry();
    registry.add(VALUE);
    const tracer = new Tracer();
    const redacted = redactTelemetry(tracer as unknown as Telemetry, { registry });
    redacted.onToolExecutionEnd?.(new Error(`failed with ${VALUE}`) as never);
    expect(String((tracer.seen[0] as Error).message)).toBe("failed with [REDACTED]");
  });

  it("wraps nested hooks such as experimental_durable", () => {
    const registry = new SecretRegistry();
    registry.add(VALUE);
    const seen: unknown[] = [];
    const redacted = redactTelemetry(
      {
        experimental_durable: { captureContext: (event: unknown) => void seen.push(event) },
      } as never,
      { registry },
    ) as { experimental_durable: { captureContext(event: unknown): void } };
    redacted.experimental_durable.captureContext({ id: VALUE });
    expect(seen).toEqual([{ id: "[REDACTED]" }]);
  });
});
