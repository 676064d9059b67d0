import type { ScopedToken } from "@agentsecretstore/client";
import { CREDENTIAL_PREFIXES } from "@agentsecretstore/protocol";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { adminMintNote, type CommandContext, commandContext } from "../command-context.js";
import { collect, wholeNumber } from "../parse-options.js";
import { readSecretValue } from "../read-secret-value.js";

/** `ass tokens request|inspect|revoke`: scoped tokens for agents and subagents. */
export function registerTokensCommand(program: Command, io: CliIo): void {
  const tokens = program
    .command("tokens")
    .description("Request, inspect and revoke scoped tokens.")
    .addHelpText(
      "after",
      "\nScopes are secrets:<read|write|delete|*>:<path pattern>, e.g. secrets:read:production/openai/*\n" +
        "(a trailing * covers everything below; write does not imply read).",
    );

  tokens
    .command("request")
    .description(
      "Mint a scoped token; prints ASS_TOKEN=… on standard output, details on standard error.",
    )
    .requiredOption("--scope <scope>", "a scope (repeatable)", collect)
    .option("--ttl <seconds>", "lifetime in seconds (max 86400)", wholeNumber(1), 3600)
    .option("--max-uses <n>", "how many requests it may make", wholeNumber(1))
    .option("--allowed-ip <ip|cidr>", "only from this address or range (repeatable)", collect)
    .option("--description <text>", "what the token is for (shown to approvers)")
    .option("--wait", "if approval is needed, wait for it before printing")
    .action(async (options: RequestOptions, command: Command) => {
      const context = commandContext(io, command);
      const vault = context.vault();
      const mintNote = adminMintNote(context.credential("secrets"));
      if (mintNote !== undefined) context.note(mintNote);
      const token = await vault.requestToken({
        scopes: options.scope,
        ttlSeconds: options.ttl,
        ...(options.maxUses !== undefined && { maxUses: options.maxUses }),
        ...(options.allowedIp && { allowedIps: options.allowedIp }),
        ...(options.description !== undefined && { description: options.description }),
      });
      let status = token.approvalStatus;
      if (status === "pending" && token.approvalRequestId && options.wait) {
        io.stderr.write(`Waiting for approval ${token.approvalRequestId}…\n`);
        const approval = await vault.waitForApproval(token.approvalRequestId);
        if (approval.status !== "approved") {
          throw new CliError(`approval ${approval.id} ended as ${approval.status}.`, 4);
        }
        status = "approved";
      }
      printToken(context, token, status);
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
  scope: string[];
  ttl: number;
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
