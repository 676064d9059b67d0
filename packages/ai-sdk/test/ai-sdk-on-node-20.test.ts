import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { generateText, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { scriptedModel } from "./support/scripted-model.js";

const require = createRequire(import.meta.url);

describe("ai 7 on this Node", () => {
  it("is the ai 7 that declares Node 22, running here on Node 20", async () => {
    const manifest = JSON.parse(await readFile(require.resolve("ai/package.json"), "utf8")) as {
      version: string;
      engines?: { node?: string };
    };
    expect(manifest.version).toMatch(/^7\.0\./);
    expect(manifest.engines?.node).toBe(">=22");
    expect(process.versions.node).toMatch(/^20\./);
  });

  it("runs a generateText tool loop and a streamText call", async () => {
    const echo = tool({
      description: "Echoes its input.",
      inputSchema: z.object({ text: z.string() }),
      execute: async ({ text }) => ({ echoed: text }),
    });
    const { steps, text } = await generateText({
      model: scriptedModel([[{ name: "echo", input: { text: "hi" } }], "done"]),
      tools: { echo },
      stopWhen: ({ steps: taken }) => taken.length >= 2,
      prompt: "go",
    });
    expect(steps[0]?.toolResults[0]?.output).toEqual({ echoed: "hi" });
    expect(text).toBe("done");
    const streamed = streamText({ model: scriptedModel(["streamed text"]), prompt: "go" });
    expect(await streamed.text).toBe("streamed text");
  });
});
