import { SecretRegistry } from "@agentsecretstore/agent-tools";
import { generateText, streamText, wrapLanguageModel } from "ai";
import { describe, expect, it } from "vitest";
import { scriptedModel } from "../test/support/scripted-model.js";
import { vaultRedactionMiddleware } from "./vault-redaction-middleware.js";

const VALUE = "fixture-middleware-value-9c0d";
const REVEALED = "fixture-revealed-value-3b8e";

function registry(): SecretRegistry {
  const values = new SecretRegistry();
  values.add(VALUE);
  values.add(REVEALED, { visibleToModel: true });
  return values;
}

describe("vaultRedactionMiddleware", () => {
  it("masks the system prompt and messages before the model gets them", async () => {
    const model = scriptedModel(["ok"]);
    await generateText({
      model: wrapLanguageModel({
        model,
        middleware: vaultRedactionMiddleware({ registry: registry() }),
      }),
      system: `The key is ${VALUE}.`,
      prompt: `Use ${VALUE}; show ${REVEALED}.`,
    });
    const sent = JSON.stringify(model.doGenerateCalls[0]?.prompt);
    expect(sent).not.toContain(VALUE);
    expect(sent).toContain("The key is [REDACTED].");
    // Revealed on purpose by the developer: the model may read it.
    expect(sent).toContain(REVEALED);
  });

  it("masks what the model answers, generated or streamed in pieces", async () => {
    const middleware = vaultRedactionMiddleware({ registry: registry() });
    const answer = `here: ${VALUE} end`;
    const generated = await generateText({
      model: wrapLanguageModel({ model: scriptedModel([answer]), middleware }),
      prompt: "?",
    });
    expect(generated.text).toBe("here: [REDACTED] end");
    for (const size of [1, 2, 7]) {
      const streamed = streamText({
        model: wrapLanguageModel({ model: scriptedModel([answer], size), middleware }),
        prompt: "?",
      });
      expect(await streamed.text, `pieces of ${size}`).toBe("here: [REDACTED] end");
    }
  });
});
