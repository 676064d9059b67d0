import type { VaultClient, VaultToolName } from "@agentsecretstore/agent-tools";
import { SecretRegistry } from "@agentsecretstore/agent-tools";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createVaultTools } from "../../src/create-vault-tools.js";
import type { VaultToolsOptions } from "../../src/vault-tools-options.js";

/** The vault tools by name, with a fresh registry unless one is given. */
export function vaultTools(vault: VaultClient | undefined, options: VaultToolsOptions = {}) {
  const registry = options.registry ?? new SecretRegistry();
  const tools = createVaultTools(vault, { ...options, registry });
  const byName = new Map(tools.map((tool) => [tool.name as VaultToolName, tool]));
  const get = (name: VaultToolName): StructuredToolInterface => {
    const found = byName.get(name);
    if (found === undefined) throw new Error(`no tool ${name}`);
    return found;
  };
  /** Invokes a tool directly and parses its JSON answer. */
  const call = async (
    name: VaultToolName,
    args: Record<string, unknown>,
    config: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> => {
    const raw: unknown = await get(name).invoke(args, config);
    return JSON.parse(String(raw)) as Record<string, unknown>;
  };
  return { tools, registry, get, call };
}
