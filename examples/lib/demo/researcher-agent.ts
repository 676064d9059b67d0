import type { AgentVault } from "@agentsecretstore/client";
import {
  createVaultTools,
  SecretRegistry,
  VaultRedactionHandler,
} from "@agentsecretstore/langchain";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import type { ModelTraffic } from "../model-traffic.js";
import { short } from "../narrate.js";
import { createVaultAgent } from "../vault-agent.js";

/** Options of {@link runResearcher}. */
export type ResearcherOptions = {
  /** The subagent's own client, holding only its scoped token. */
  vault: AgentVault;
  /** Origin of the stand-in CRM API the agent may call with the CRM key. */
  crmOrigin: string;
  /** Records every model input and output, for the leak check. */
  traffic: ModelTraffic;
  print: (text: string) => void;
};

/**
 * A LangChain agent with the vault tools and a scripted model: it lists the CRM secrets,
 * calls the CRM with a key it never sees, and asks for payments access beyond its token.
 * Returns the agent's final answer.
 */
export async function runResearcher(options: ResearcherOptions): Promise<string> {
  const { vault, crmOrigin, traffic, print } = options;
  // Every value the tools hand out lands here; the middleware and handler mask from it.
  const registry = new SecretRegistry();
  const tools = createVaultTools(vault, {
    registry,
    allowedDestinations: [
      { origin: crmOrigin, pathPrefixes: ["/v1"], secretPaths: ["production/crm/*"] },
    ],
  });
  const scripted = fakeModel()
    .respondWithTools([{ name: "list_secrets", args: { namespace: "production/crm" } }])
    .respondWithTools([
      {
        name: "call_api_with_secret",
        args: { url: `${crmOrigin}/v1/contacts`, secretPath: "production/crm/api-key" },
      },
    ])
    .respondWithTools([
      {
        name: "request_secret_access",
        args: { path: "production/payments/*", reason: "Check the refund was paid out" },
      },
    ])
    .respond(
      new AIMessage(
        "The CRM has 2 contacts (Ada, Grace). Payments are outside my access; the payments agent handles refunds.",
      ),
    );
  // The model's own key comes from the vault on first use, with the subagent's token.
  const agent = createVaultAgent({ vault, registry, model: scripted, tools });

  // Behind the redaction handler, the narrator only ever sees masked text.
  const narrator = BaseCallbackHandler.fromMethods({
    handleToolStart: (_tool, input, _runId, _parent, _tags, _metadata, runName) => {
      print(`model → ${runName ?? "tool"} ${short(input, 70)}`);
    },
    handleToolEnd: (output) => {
      print(`tool  ← ${describeResult(String(output?.content ?? output))}`);
    },
  });
  const result = await agent.invoke(
    { messages: [new HumanMessage("How many CRM contacts do we have? Was the refund paid?")] },
    {
      callbacks: [new VaultRedactionHandler({ registry, handlers: [narrator] }), traffic.handler],
    },
  );
  return String(result.messages.at(-1)?.content ?? "");
}

/** One line about a vault tool's JSON answer. */
function describeResult(content: string): string {
  const result = JSON.parse(content) as Record<string, unknown>;
  const details: string[] = [];
  if (Array.isArray(result.secrets)) {
    const paths = result.secrets.map((secret: { path: string }) => secret.path);
    details.push(`metadata of ${paths.join(", ")}`);
  }
  if (result.httpStatus !== undefined) details.push(`HTTP ${result.httpStatus} ${result.body}`);
  if (typeof result.message === "string" && details.length === 0) {
    details.push(short(result.message, 70));
  }
  return short(`${result.status}: ${details.join("; ")}`, 90);
}
