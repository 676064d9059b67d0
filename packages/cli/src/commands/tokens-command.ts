import type { ScopedToken } from "@agentsecretstore/client";
import { CREDENTIAL_PREFIXES, fromHostedScope } from "@agentsecretstore/protocol";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { adminMintNote, type CommandContext, commandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { waitForApprovalWithProgress } from "../output/approval-progress.js";
import { collect, wholeNumber } from "../parse-options.js";
import { readSecretValue } from "../read-secret-value.js";
import { getFromVault } from "../vault-api.js";
import { type ListedToken, TOKEN_LIST_COLUMNS, treeRows } from "./token-tree.js";

/** `ass tokens request|inspect|revoke`: scoped tokens for agents and subagents. */
export function registerTokensCommand(program: Command, io: CliIo): void {
  const tokens = program
    .command("tokens")
    .description("Request, inspect and revoke scoped tokens.")
    .addHelpText(
      "after",
      "\nScopes are secrets:<read|write|delete|use|*>:<path pattern>, e.g. secrets:read:production/openai/*\n" +
        "(a trailing * covers everything below; write does not imply read).",
    );

  for (const name of ["request", "issue"] as const) {
    tokens
      .command(name)
      .description(
        name === "request"
          ? "Mint a scoped token; prints ASS_TOKEN=… on standard output, details on standard error."
          : "Same as `tokens request` (the hosted CLI 1.0's name): -s takes comma-separated scopes.",
      )
      .option("--scope <scope>", "a scope (repeatable)", collect)
      .option("-s, --scopes <scopes>", "comma-separated scopes", commaList)
      .option(
        "--ttl <seconds>",
        "lifetime in seconds, at most 86400 (default: 3600, or what is left of a parent token's)",
        wholeNumber(1),
      )
      .option("--max-uses <n>", "how many requests it may make", wholeNumber(1))
      .option("--allowed-ip <ip|cidr>", "only from this address or range (repeatable)", collect)
      .option("--description <text>", "what the token is for (shown to approvers)")
      .option("--wait", "if approval is needed, wait for it (progress on stderr) before printing")
      .action(async (options: RequestOptions, command: Command) => {
        const context = commandContext(io, command);
        const scopes = scopesOf(context, options);
        const vault = context.vault();
        const credential = context.credential("secrets");
        const mintNote = adminMintNote(credential);
        if (mintNote !== undefined) context.note(mintNote);
        const token = await vault.requestToken({
          scopes,
          ...(options.ttl !== undefined && { ttlSeconds: options.ttl }),
          ...(options.maxUses !== undefined && { maxUses: options.maxUses }),
          ...(options.allowedIp && { allowedIps: options.allowedIp }),
          ...(options.description !== undefined && { description: options.description }),
        });
        let status = token.approvalStatus;
        if (status === "pending" && token.approvalRequestId && options.wait) {
          const approver = context.approvalsAs(credential);
          await waitForApprovalWithProgress(context, approver, token.approvalRequestId);
          status = "approved";
        }
        printToken(context, token, status);
      });
  }

  tokens
    .command("list")
    .alias("ls")
    .description(
      "List live tokens as a tree (children under their parent): an admin sees all, an agent the ones it minted, a token itself and its children.",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const credential = context.credential("secrets");
      const body = await getFromVault(context.baseUrl(), "/tokens", credential.value, io.signal);
      const items = (body.items ?? []) as ListedToken[];
      context.printTable(treeRows(items), TOKEN_LIST_COLUMNS, items);
    });

  tokens
    .command("inspect")
    .description(
      "Show a token's scopes, expiry and remaining uses (read from standard input or $ASS_TOKEN).",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const value =
        io.env.ASS_TOKEN ?? (await readSecretValue(io, { prompt: "Token to inspect (hidden): " }));
      const info = await context.vault().inspectToken({ token: value });
      context.printDetails(tokenFields(info), info);
    });

  tokens
    .command("revoke")
    .description("Revoke a token (by id, e.g. tok_…) and every token minted from it.")
    .argument("<token-id>", "the token's id (`ass tokens request --json` shows it)")
    .action(async (tokenId: string, _options: unknown, command: Command) => {
      const context = commandContext(io, command);
      await context.vault().revokeToken(tokenId);
      // Given the token itself rather than its id, revoke it but never print it back.
      if (tokenId.startsWith(CREDENTIAL_PREFIXES.token)) {
        context.printDone("Revoked the token.", { revoked: true });
      } else {
        context.printDone(`Revoked ${tokenId}.`, { tokenId, revoked: true });
      }
    });
}

type RequestOptions = {
  scope?: string[];
  scopes?: string[];
  ttl?: number;
  maxUses?: number;
  allowedIp?: string[];
  description?: string;
  wait?: boolean;
};

function printToken(context: CommandContext, token: ScopedToken, status: string): void {
  if (context.json) {
    context.printDone("", { ...token.toJSON(), approvalStatus: status, value: token.value });
    return;
  }
  context.io.stderr.write(
    status === "pending"
      ? `Token ${token.tokenId} is waiting for approval ${token.approvalRequestId}; it works once a person approves.\n`
      : `Token ${token.tokenId}: ${token.scopes.join(" ")}, expires ${token.expiresAt?.toISOString()}.\n`,
  );
  context.io.stdout.write(`ASS_TOKEN=${token.value}\n`);
}

function tokenFields(token: ScopedToken): [string, unknown][] {
  return [
    ["id", token.tokenId],
    ["scopes", token.scopes],
    ["expires", token.expiresAt],
    ["max uses", token.maxUses],
    ["uses left", token.usesRemaining],
    ["allowed ips", token.allowedIps],
    ["approval", token.approvalStatus],
    ["description", token.description],
  ];
}

function commaList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  ];
}

/**
 * The scopes asked for. The hosted CLI's `read:secrets` style (action first, no path) means
 * the action on every secret here (the protocol's `fromHostedScope`: `secrets:read:*`), said on
 * stderr.
 */
function scopesOf(context: CommandContext, options: RequestOptions): string[] {
  const scopes = [...(options.scope ?? []), ...(options.scopes ?? [])].map((scope) => {
    const translated = fromHostedScope(scope)?.[0];
    if (translated === undefined) return scope;
    context.note(`ass: ${scope} is the hosted CLI's form; here it is ${translated}.`);
    return translated;
  });
  if (scopes.length === 0) {
    throw new CliError(
      "give a scope: --scope secrets:read:<path pattern> (or -s a,b).",
      ExitCode.USAGE,
    );
  }
  return scopes;
}
