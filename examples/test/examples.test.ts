import { describe, it } from "vitest";
import { runTypeScript } from "./run-example.js";

type ExampleCase = {
  file: string;
  /** Lines (or parts of lines) the narration must contain. */
  expectLines: (string | RegExp)[];
  /** The example's own fake secret values: none may ever be printed. */
  neverPrinted: string[];
};

const examples: ExampleCase[] = [
  {
    file: "examples/quickstart.ts",
    expectLines: [
      "the subagent read production/openai/api-key v1",
      "old version still readable during the grace period (v1)",
      "revoked token refused (AgentVaultAuthError)",
      "deleted secret answers 404",
    ],
    neverPrinted: ["demo-openai-key-v1", "demo-openai-key-v2", "demo-stripe-key-v1"],
  },
  {
    file: "examples/orchestrator.ts",
    expectLines: [
      /approver +approves it → approved/,
      /migrator +approved: read production\/db\/password v1 \(sensitive\)/,
      /crm-sync +refused production\/openai\/api-key/,
      "the migrator's token after the run: AgentVaultAuthError (401)",
    ],
    neverPrinted: ["fake-openai-key-3e9a1c", "fake-crm-key-5b7d2f", "fake-db-password-8c4e6a"],
  },
  {
    file: "examples/broker.ts",
    expectLines: [
      "the stub saw: the provider key → 200",
      "the agent's client holds the vault token, not the key",
      "reading the value is refused (AgentVaultPermissionError): use is not read",
      "The key reached the provider and never the agent.",
    ],
    neverPrinted: ["fake-openai-key-broker-5d2e8a", "ast_tok_"],
  },
  {
    file: "examples/openai-client.ts",
    expectLines: [
      "vault reads so far: 0",
      "the stub saw: key v1 → 200, key v1 → 200",
      "the stub saw: key v1 → 401, key v2 → 200",
      "one extra vault read for the whole rotation (reads: 2)",
    ],
    neverPrinted: ["fake-openai-key-v1-7c1d0e", "fake-openai-key-v2-a94b2f"],
  },
  {
    file: "examples/langchain-agent.ts",
    // Another helper owns this example; only its verdict line is part of the contract here.
    expectLines: [/vault values found in \d+ messages to or from the model: 0/],
    neverPrinted: ["demo-crm-key-0f1e2d3c4b5a", "demo-model-key-9a8b7c6d5e4f"],
  },
  {
    file: "examples/mcp-client.ts",
    expectLines: [
      "get_secret → declined (isError true)",
      "call_api_with_secret → completed, HTTP 200, the API saw: crm key",
      /progress: Waiting for a person to decide approval request apr_/,
      "check_approval_status → approved",
      "call_api_with_secret → completed, HTTP 200, the API saw: billing key",
      /vault values found in \d+ MCP messages from the server: 0/,
    ],
    neverPrinted: [
      "demo-mcp-crm-key-4b5c6d7e",
      "demo-mcp-billing-key-8f9a0b1c",
      "ass_live_",
      "ast_tok_",
    ],
  },
  {
    file: "examples/ai-sdk-agent.ts",
    expectLines: [
      "call_api_with_secret → completed (HTTP 200)",
      "The provider across a rotation: key v1 → 200, key v1 → 401, key v2 → 200",
      /vault values found in \d+ model prompts: 0/,
    ],
    neverPrinted: [
      "demo-ai-sdk-crm-key-5e6f7a",
      "demo-ai-sdk-model-key-v1-1b2c",
      "demo-ai-sdk-model-key-v2-3d4e",
    ],
  },
  {
    file: "examples/openai-agents-approval.ts",
    expectLines: [
      /request_secret_access waits: A person approves request apr_\w+/,
      "request_secret_access → approved",
      "call_api_with_secret → completed",
      "the payments API got the real key: true; tokens revoked after the run: 1",
      /vault values found in \d+ model requests: 0/,
    ],
    neverPrinted: ["demo-agents-payments-key-8a9b0c", "ass_live_", "ast_tok_"],
  },
  {
    file: "examples/demo.ts",
    expectLines: [
      /alice +approve #1 → 1 of 2, still pending/,
      /bob +approve #2 → 2 of 2; delay 2 s/,
      /bob +delay over → approved/,
      /writer +call 3: key v1 → 200/,
      /writer +call 4: key v1 → 401, key v2 → 200/,
      /payments +read production\/payments\/signing-key v1/,
      "the payments token is refused: AgentVaultAuthError (401)",
      /verifyAudit\(\): the chain of \d+ events is intact/,
      "✓ no secret in any model message",
    ],
    neverPrinted: [
      "fake-openai-key-v1-4d2c9e81",
      "fake-openai-key-v2-b7a05f36",
      "fake-crm-key-0f1e2d3c",
      "fake-db-password-91ab7e",
      "fake-payments-signing-key-c3d8a2",
      "ass_live_",
      "ass_admin_",
      "ast_tok_",
    ],
  },
];

// Every example is a process of its own that loads tsx and its frameworks, all at once: on a
// busy two-core machine one took 26 s and then 30 s, so they get more than the suite's 30 s.
const EXAMPLE_TIMEOUT_MS = 120_000;

describe.concurrent("every example runs offline as its own process", () => {
  for (const example of examples) {
    it(`${example.file} exits 0 and narrates what happened, printing no secret`, {
      timeout: EXAMPLE_TIMEOUT_MS,
    }, async ({ expect }) => {
      const result = await runTypeScript(example.file);
      const output = `${result.stdout}\n--- stderr ---\n${result.stderr}`;
      expect(result.code, output).toBe(0);
      for (const line of example.expectLines) {
        if (typeof line === "string") expect(result.stdout, output).toContain(line);
        else expect(result.stdout, output).toMatch(line);
      }
      for (const value of example.neverPrinted) {
        expect(result.stdout).not.toContain(value);
        expect(result.stderr).not.toContain(value);
      }
    });
  }
});
