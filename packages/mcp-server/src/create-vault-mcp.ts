import {
  type AllowedDestination,
  createVaultToolset,
  maskDeep,
  SecretRegistry,
  type VaultClient,
  type VaultToolset,
} from "@agentsecretstore/agent-tools";
import type { McpLogger } from "./logging/stderr-logger.js";
import { McpConfigError } from "./mcp-config-error.js";
import { createSessionServer } from "./protocol/create-session-server.js";
import type { MaskJson } from "./protocol/masking-transport.js";
import type { McpSessionFactory } from "./protocol/mcp-session.js";

/** Options of {@link createVaultMcp}. */
export interface VaultMcpOptions {
  /** The client every tool call uses (the server's own vault credential). */
  readonly vault: VaultClient;
  /**
   * Let `get_secret` return values to the model (`--reveal-values`). Off, it declines and
   * points the model to `call_api_with_secret`.
   * @default false
   */
  readonly revealValues?: boolean;
  /**
   * Where `call_api_with_secret` may send credentials; without any, that tool is not offered.
   * @default []
   */
  readonly destinations?: readonly AllowedDestination[];
  readonly logger: McpLogger;
  /**
   * Where every value the tools handle is registered; every outgoing message and log line is
   * masked against it.
   * @default a new registry
   */
  readonly registry?: SecretRegistry;
  /**
   * Longest a model may ask `check_approval_status` to wait for a person's decision, in ms.
   * @default 300_000 (five minutes)
   */
  readonly maxApprovalWait?: number;
  /**
   * Time between progress notifications during a long tool call, in ms.
   * @default 5_000
   */
  readonly progressIntervalMs?: number;
}

/** The vault tools served over MCP: sessions, and the masking of what leaves the process. */
export interface VaultMcp {
  /** Makes one session's protocol server; its access tokens are revoked when it closes. */
  readonly openSession: McpSessionFactory;
  /** Masks a message for the model (values revealed on purpose stay readable). */
  readonly maskForModel: MaskJson;
  /** Masks a log line: every value the vault handed out, revealed or not. */
  readonly maskForLog: (text: string) => string;
  /** The registry every value is registered in. */
  readonly registry: SecretRegistry;
}

/**
 * Binds the shared vault tools (`@agentsecretstore/agent-tools`) to MCP. Each session gets
 * its own toolset, so that tokens obtained with `request_secret_access` in one session are
 * never used by another and are revoked when it ends; all sessions share one registry, so a
 * value handed out anywhere is masked everywhere.
 */
export function createVaultMcp(options: VaultMcpOptions): VaultMcp {
  const registry = options.registry ?? new SecretRegistry();
  const { logger } = options;
  const toolsetOptions = {
    registry,
    revealValues: options.revealValues === true,
    allowedDestinations: options.destinations ?? [],
    // MCP keeps a long wait alive with progress notifications and can cancel it.
    maxApprovalWait: options.maxApprovalWait ?? 300_000,
  };
  try {
    // Checks the destinations once, now: a mistake in them stops the start.
    createVaultToolset(options.vault, toolsetOptions);
  } catch (error) {
    throw new McpConfigError(
      `The call_api_with_secret destinations are not valid: ${error instanceof Error ? error.message : String(error)}`,
      "INVALID_DESTINATIONS",
    );
  }
  const maskText = (text: string) => registry.mask(text, { forModel: true });
  return {
    registry,
    maskForModel: <T>(value: T) => maskDeep(value, maskText),
    maskForLog: (text) => registry.mask(text),
    openSession: (runId, sessionOptions = {}) => {
      const toolset: VaultToolset = createVaultToolset(options.vault, toolsetOptions);
      const server = createSessionServer({
        tools: toolset.tools,
        runId,
        ...(sessionOptions.vaultToken !== undefined && { vaultToken: sessionOptions.vaultToken }),
        logger,
        ...(options.progressIntervalMs !== undefined && {
          progressIntervalMs: options.progressIntervalMs,
        }),
      });
      return {
        server,
        close: async () => {
          await server.close().catch(() => {});
          const revoked = await toolset.revokeAccess();
          if (revoked > 0) logger.info(`revoked ${revoked} access token(s)`, { session: runId });
        },
      };
    },
  };
}
