import { AgentVault } from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import type { Command } from "commander";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import {
  CREDENTIAL_SOURCES,
  type CredentialKind,
  type CredentialPurpose,
  type ResolvedCredential,
  resolveCredential,
} from "./credentials/resolve-credential.js";
import { ExitCode } from "./exit-codes.js";
import { type Column, formatDetails, formatTable } from "./output/format-table.js";
import { type TerminalStyle, terminalStyle } from "./output/terminal-style.js";
import { waitNotice } from "./output/wait-notice.js";

type GlobalOptions = { json?: boolean; baseUrl?: string; as?: CredentialKind; color?: boolean };

/** What every people-facing command needs: the vault client, and output in the chosen form. */
export type CommandContext = {
  readonly io: CliIo;
  readonly json: boolean;
  /** How standard output and standard error look (colour, width, relative times). */
  readonly out: TerminalStyle;
  readonly err: TerminalStyle;
  /** The credential a command of this purpose uses (the documented precedence, or `--as`). */
  credential(purpose?: CredentialPurpose): ResolvedCredential;
  /** A client acting with the secret commands' credential: a token, else an agent key, else the admin key. */
  vault(): AgentVault;
  /** A client acting with the admin key, or a clear error saying one is needed. */
  admin(): VaultAdmin;
  /** For one approval request: the admin key when set, else the requester's token or agent key. */
  approvals(): VaultAdmin;
  /** A client for approval requests acting exactly as `credential` (e.g. the one that minted a token). */
  approvalsAs(credential: ResolvedCredential): VaultAdmin;
  /** The vault's API address, normalised (ends in `/v1`). */
  baseUrl(): string;
  /** Prints `data` as JSON with `--json`, else as a table of `rows`. */
  printTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], data?: unknown): void;
  /** Prints `data` as JSON with `--json`, else as `label: value` lines. */
  printDetails(fields: readonly [string, unknown][], data: unknown): void;
  /** Prints a one-line confirmation (or `data` as JSON with `--json`). */
  printDone(message: string, data: unknown): void;
  /** A line on standard error for the person (progress, warnings), never for `--json` readers. */
  note(message: string): void;
};

const credentialsUsed = new WeakMap<CliIo, ResolvedCredential>();

/** The credential the command run with `io` picked last, to name it in an error message. */
export function credentialUsed(io: CliIo): ResolvedCredential | undefined {
  return credentialsUsed.get(io);
}

/** Builds the context for the command being run, reading the global options. */
export function commandContext(io: CliIo, command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const json = options.json === true;
  const noColor = options.color === false;
  const out = terminalStyle(io.stdout, io.env, { noColor });
  const err = terminalStyle(io.stderr, io.env, { noColor });
  const rawBaseUrl = () => {
    const url = options.baseUrl ?? io.env.ASS_BASE_URL;
    if (!url) {
      throw new CliError(
        "no vault address: set ASS_BASE_URL (printed by `ass server`) or pass --base-url.",
        ExitCode.USAGE,
      );
    }
    return url;
  };
  const credential = (purpose: CredentialPurpose = "secrets") => {
    const resolved = resolveCredential(io.env, purpose, options.as);
    credentialsUsed.set(io, resolved);
    return resolved;
  };
  let client: AgentVault | undefined;
  let adminClient: VaultAdmin | undefined;
  let approvalsClient: VaultAdmin | undefined;
  const writeJson = (data: unknown) => io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  const onWait = waitNotice(io, err);
  const adminFor = (resolved: ResolvedCredential) =>
    new VaultAdmin({ adminKey: resolved.value, baseUrl: rawBaseUrl(), env: {}, onWait });

  return {
    io,
    json,
    out,
    err,
    credential,
    baseUrl: () => new AgentVault({ baseUrl: rawBaseUrl(), env: {} }).baseUrl,
    vault() {
      if (client) return client;
      const resolved = credential("secrets");
      const baseUrl = rawBaseUrl();
      client =
        resolved.kind === "token"
          ? new AgentVault({ token: resolved.value, baseUrl, env: {}, onWait })
          : new AgentVault({ agentKey: resolved.value, baseUrl, env: {}, onWait });
      return client;
    },
    admin() {
      adminClient ??= adminFor(credential("admin"));
      return adminClient;
    },
    approvals() {
      approvalsClient ??= adminFor(credential("approval"));
      return approvalsClient;
    },
    approvalsAs: adminFor,
    printTable(rows, columns, data = rows) {
      if (json) writeJson(data);
      else if (rows.length === 0) io.stderr.write("(none)\n");
      else io.stdout.write(formatTable(rows, columns, out));
    },
    printDetails(fields, data) {
      if (json) writeJson(data);
      else io.stdout.write(formatDetails(fields, out));
    },
    printDone(message, data) {
      if (json) writeJson(data);
      else io.stdout.write(`${message}\n`);
    },
    note(message) {
      io.stderr.write(`${message}\n`);
    },
  };
}

/** The stderr line for a token minted by an admin key (people should know who minted it). */
export function adminMintNote(resolved: ResolvedCredential): string | undefined {
  if (resolved.kind !== "admin") return undefined;
  return `ass: minting with the admin key (${CREDENTIAL_SOURCES.admin.variable}), not an agent key: set ASS_AGENT_KEY, or pass --as agent, to mint as an agent.`;
}
