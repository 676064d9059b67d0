import { AgentVault, VaultAdmin } from "@agentsecretstore/client";
import type { Command } from "commander";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { type Column, formatDetails, formatTable } from "./output/format-table.js";

type GlobalOptions = { json?: boolean; baseUrl?: string };

/** What every people-facing command needs: the vault client, and output in the chosen form. */
export type CommandContext = {
  readonly io: CliIo;
  readonly json: boolean;
  /** A client acting as the person: the admin key, else the agent key, else the scoped token. */
  vault(): AgentVault;
  /** A client acting with the admin key, or a clear error saying one is needed. */
  admin(): VaultAdmin;
  /** The vault's API address. */
  baseUrl(): string;
  /** Prints `data` as JSON with `--json`, else as a table of `rows`. */
  printTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], data?: unknown): void;
  /** Prints `data` as JSON with `--json`, else as `label: value` lines. */
  printDetails(fields: readonly [string, unknown][], data: unknown): void;
  /** Prints a one-line confirmation (or `data` as JSON with `--json`). */
  printDone(message: string, data: unknown): void;
};

/** Builds the context for the command being run, reading the global `--json` and `--base-url`. */
export function commandContext(io: CliIo, command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const json = options.json === true;
  const baseUrl = () => {
    const url = options.baseUrl ?? io.env.ASS_BASE_URL;
    if (!url) {
      throw new CliError(
        "no vault address: set ASS_BASE_URL (printed by `ass server`) or pass --base-url.",
        2,
      );
    }
    return url;
  };
  let client: AgentVault | undefined;
  let adminClient: VaultAdmin | undefined;
  const writeJson = (data: unknown) => io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);

  return {
    io,
    json,
    baseUrl,
    vault() {
      if (client) return client;
      const credential = io.env.ASS_ADMIN_KEY || io.env.ASS_AGENT_KEY || io.env.ASS_TOKEN;
      if (!credential) {
        throw new CliError(
          "no credential: set ASS_ADMIN_KEY or ASS_AGENT_KEY (printed by `ass server` on its first start), or ASS_TOKEN.",
          3,
        );
      }
      client = credential.startsWith("ast_tok_")
        ? new AgentVault({ token: credential, baseUrl: baseUrl(), env: {} })
        : new AgentVault({ agentKey: credential, baseUrl: baseUrl(), env: {} });
      return client;
    },
    admin() {
      if (adminClient) return adminClient;
      const adminKey = io.env.ASS_ADMIN_KEY;
      if (!adminKey) {
        throw new CliError(
          "this command needs an admin key: set ASS_ADMIN_KEY (printed by `ass server` on its first start).",
          3,
        );
      }
      adminClient = new VaultAdmin({ adminKey, baseUrl: baseUrl(), env: {} });
      return adminClient;
    },
    printTable(rows, columns, data = rows) {
      if (json) writeJson(data);
      else if (rows.length === 0) io.stderr.write("(none)\n");
      else io.stdout.write(formatTable(rows, columns));
    },
    printDetails(fields, data) {
      if (json) writeJson(data);
      else io.stdout.write(formatDetails(fields));
    },
    printDone(message, data) {
      if (json) writeJson(data);
      else io.stdout.write(`${message}\n`);
    },
  };
}
