// The public API of @agentsecretstore/client/orchestrator: one scoped token per subagent,
// revoked together at the end of a run. Its own entry point, so that subagents do not ship it.

export type {
  MintedToken,
  MintOptions,
  OrchestratorOptions,
  OrchestratorVault,
  SubagentEnv,
  TokenIssuer,
  TokenRequest,
} from "../orchestrator.js";
export { Orchestrator } from "../orchestrator.js";
