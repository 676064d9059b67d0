// The README's quick start, runtime-neutral: it uses only the client's main entry, so that
// Bun, Deno and workerd each run exactly this, bundled. It returns facts, never a value.
import { AgentVault } from "../../src/index.js";

/** Where the vault is, who acts, and what to write. */
export interface QuickStartConfig {
  readonly baseUrl: string;
  readonly agentKey: string;
  /** A path below a namespace of its own, e.g. `runtimes/bun/api-key`. */
  readonly path: string;
  /** A fake value; the test checks on the server that it arrived intact. */
  readonly value: string;
}

/** What the quick start saw; every field can come out wrong. */
export interface QuickStartReport {
  readonly runtime: string;
  readonly writtenVersion: number;
  readonly readMatches: boolean;
  readonly printed: string;
  readonly approvalStatus: string;
  readonly tokenIsScoped: boolean;
  readonly readWithTokenMatches: boolean;
  /** The error class name of a read with the token after it was revoked. */
  readonly afterRevoke: string;
}

/** write → read → requestToken → read with the token → revoke → the token no longer reads. */
export async function quickStart(config: QuickStartConfig): Promise<QuickStartReport> {
  const { baseUrl, agentKey, path, value } = config;
  const namespace = path.slice(0, path.lastIndexOf("/"));
  const vault = new AgentVault({ baseUrl, agentKey, env: {}, retries: 0 });
  const written = await vault.setSecret(path, value, { tier: "standard", tags: { team: "ml" } });
  const secret = await vault.getSecret(path);
  const token = await vault.requestToken({
    scope: `secrets:read:${namespace}/*`,
    ttlSeconds: 300,
    maxUses: 5,
  });
  const subagent = new AgentVault({ baseUrl, token: token.value, env: {}, retries: 0 });
  const withToken = await subagent.getSecret(path);
  await vault.revokeToken(token);
  let afterRevoke = "read";
  try {
    await subagent.getSecret(path);
  } catch (error) {
    afterRevoke = error instanceof Error ? error.name : typeof error;
  }
  await subagent.close();
  await vault.close();
  return {
    runtime: runtimeName(),
    writtenVersion: written.version,
    readMatches: secret.value === value,
    printed: `${secret}`,
    approvalStatus: token.approvalStatus,
    tokenIsScoped:
      token.value.startsWith("ast_tok_") && token.scope === `secrets:read:${namespace}/*`,
    readWithTokenMatches: withToken.value === value,
    afterRevoke,
  };
}

/** Which runtime this is, told by its own globals. */
function runtimeName(): string {
  const global = globalThis as {
    Bun?: unknown;
    Deno?: unknown;
    navigator?: { userAgent?: string };
    process?: { versions?: { node?: string } };
  };
  if (global.Bun !== undefined) return "bun";
  if (global.Deno !== undefined) return "deno";
  if (global.navigator?.userAgent === "Cloudflare-Workers") return "workerd";
  if (global.process?.versions?.node !== undefined) return "node";
  return "unknown";
}
