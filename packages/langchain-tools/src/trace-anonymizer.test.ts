import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { AIMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { createVaultTraceAnonymizer } from "./trace-anonymizer.js";

const CANARY = "canary-value-3a4b5c6d";

describe("createVaultTraceAnonymizer", () => {
  it("masks vault values in a serialised run payload without touching the original", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY);
    const anonymize = createVaultTraceAnonymizer({ registry });
    const run = {
      inputs: {
        messages: [
          [{ lc: 1, type: "constructor", id: ["AIMessage"], kwargs: { content: CANARY } }],
        ],
      },
      outputs: { generations: [[{ text: `value ${CANARY}` }]] },
    };
    const masked = anonymize(run);
    expect(JSON.stringify(masked)).not.toContain(CANARY);
    expect(JSON.stringify(run)).toContain(CANARY);
  });

  it("masks live messages and values revealed to the model alike", () => {
    const registry = new SecretRegistry();
    registry.add(CANARY, { visibleToModel: true });
    const anonymize = createVaultTraceAnonymizer({ registry });
    const masked = anonymize({ output: new AIMessage(`the value is ${CANARY}`) });
    expect(masked.output.content).toBe("the value is [REDACTED]");
  });
});
