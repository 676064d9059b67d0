import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { constants } from "node:os";
import { AgentVault, type ScopedToken } from "@agentsecretstore/client";
import { parseDotenv } from "@agentsecretstore/protocol";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { adminMintNote, type CommandContext, commandContext } from "../command-context.js";
import { CREDENTIAL_SOURCES } from "../credentials/resolve-credential.js";
import {
  fetchSecrets,
  parsePathOption,
  readScopesFor,
  referencesIn,
  type SecretSource,
} from "../environment/secret-sources.js";
import { ExitCode } from "../exit-codes.js";
import { waitForApprovalWithProgress } from "../output/approval-progress.js";
import { collect, wholeNumber } from "../parse-options.js";

type RunOptions = { path?: string[]; envFile?: string[]; ttl: number };

/** `ass run [--path …]… [--env-file …]… -- <command>`: a command with its secrets in the environment. */
export function registerRunCommand(program: Command, io: CliIo): void {
  program
    .command("run")
    .summary("run a command with secrets as environment variables (a token minted for the run)")
    .description(
      "Mint a short-lived read token for exactly the secrets named, fetch them, and run <command> " +
        "with them as environment variables; the token is revoked when the command ends. Secrets " +
        "come from --path (a secret, or a namespace: one variable per secret below it) and from " +
        "ass://<path> references in the environment or an --env-file. The command gets ASS_BASE_URL " +
        "and the run's ASS_TOKEN, never the key that minted it. Signals are passed on; ass exits " +
        "with the command's exit code (128 + n when signal n ended it).",
    )
    .option(
      "--path <path>",
      "a secret or namespace; NAME=<path> names one secret's variable (repeatable)",
      collect,
    )
    .option(
      "--env-file <file>",
      "a .env file; its ass://<path> values are resolved (repeatable)",
      collect,
    )
    .option(
      "--ttl <seconds>",
      "lifetime of the run's token, including any wait for approval",
      wholeNumber(1),
      900,
    )
    .argument("<command...>", "the command and its arguments, after --")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  ass run --path production/openai -- node agent.js        # OPENAI_API_KEY from production/openai/api-key… \n" +
        "  ass run --path OPENAI_API_KEY=production/openai/api-key -- python agent.py\n" +
        "  echo 'OPENAI_API_KEY=ass://production/openai/api-key' > .env && ass run --env-file .env -- node agent.js",
    )
    .action(async (commandLine: string[], options: RunOptions, command: Command) => {
      const context = commandContext(io, command);
      const fileVariables = await readEnvFiles(options.envFile ?? []);
      const sources: SecretSource[] = [
        ...referencesIn(io.env),
        ...referencesIn(fileVariables),
        ...(options.path ?? []).map(parsePathOption),
      ];
      if (sources.length === 0) {
        throw new CliError(
          "nothing to fetch: name secrets with --path, or put ass://<path> values in the environment or an --env-file.",
          ExitCode.USAGE,
        );
      }
      const [program_, ...args] = commandLine;
      if (program_ === undefined) throw new CliError("no command given after --.", ExitCode.USAGE);
      const token = await mintRunToken(context, sources, options.ttl);
      const tokenVault = new AgentVault({
        token: token.value,
        baseUrl: context.baseUrl(),
        env: {},
      });
      try {
        const secrets = await fetchSecrets(tokenVault, sources, io.signal);
        const env = childEnvironment(
          io.env,
          fileVariables,
          secrets,
          context.baseUrl(),
          token.value,
        );
        context.note(
          `ass: running ${program_} with ${secrets.size} secret${secrets.size === 1 ? "" : "s"}: ${[...secrets.keys()].join(", ")}`,
        );
        const code = await runChild(io, program_, args, env);
        if (code !== 0) throw new ExitWith(code);
      } finally {
        await tokenVault.revokeToken(token.value).catch(() => {
          context.note(
            `ass: could not revoke the run's token ${token.tokenId}; it expires by itself at ${token.expiresAt?.toISOString()}.`,
          );
        });
      }
    });
}

/** Thrown to make `ass` exit with the command's own code, without a message. */
class ExitWith extends CliError {
  constructor(code: number) {
    super("", code);
  }
}

async function mintRunToken(
  context: CommandContext,
  sources: readonly SecretSource[],
  ttlSeconds: number,
): Promise<ScopedToken> {
  const credential = context.credential("secrets");
  const mintNote = adminMintNote(credential);
  if (mintNote !== undefined) context.note(mintNote);
  const token = await context.vault().requestToken({
    scopes: readScopesFor(sources),
    ttlSeconds,
    description: "ass run",
  });
  if (token.approvalStatus === "pending" && token.approvalRequestId) {
    context.note(
      `ass: the run's token needs a person's approval (${token.approvalRequestId}); waiting (Ctrl-C to give up).`,
    );
    try {
      await waitForApprovalWithProgress(
        context,
        context.approvalsAs(credential),
        token.approvalRequestId,
      );
    } catch (error) {
      await new AgentVault({ token: token.value, baseUrl: context.baseUrl(), env: {} })
        .revokeToken(token.value)
        .catch(() => undefined);
      throw error;
    }
  }
  return token;
}

async function readEnvFiles(files: readonly string[]): Promise<Record<string, string>> {
  const variables: Record<string, string> = {};
  for (const file of files) {
    const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        `cannot read --env-file ${file}: ${error.code ?? error.message}.`,
        ExitCode.USAGE,
      );
    });
    const parsed = parseDotenv(text);
    if (!parsed.ok) {
      const lines = parsed.issues.map((issue) => `line ${issue.line}: ${issue.message}`);
      throw new CliError(`${file}: ${lines.join("; ")}.`, ExitCode.USAGE);
    }
    for (const entry of parsed.entries) variables[entry.key] = entry.value;
  }
  return variables;
}

/** The command's environment: ours without vault keys, the .env files, then the secrets. */
function childEnvironment(
  inherited: Readonly<Record<string, string | undefined>>,
  fileVariables: Readonly<Record<string, string>>,
  secrets: ReadonlyMap<string, string>,
  baseUrl: string,
  token: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...inherited, ...fileVariables })) {
    if (value !== undefined) env[name] = value;
  }
  for (const source of Object.values(CREDENTIAL_SOURCES)) delete env[source.variable];
  for (const [name, value] of secrets) env[name] = value;
  return { ...env, ASS_BASE_URL: baseUrl, ASS_TOKEN: token };
}

/** Runs the command with the terminal (or `io`'s streams), passing signals on; resolves to its exit code. */
function runChild(
  io: CliIo,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<number> {
  const inherit = io.stdout === process.stdout && io.stderr === process.stderr;
  const child = spawn(command, args, {
    env,
    stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  if (!inherit) {
    child.stdout?.on("data", (chunk: Buffer) => io.stdout.write(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => io.stderr.write(chunk.toString()));
  }
  const stopForwarding = io.onSignal?.((signal) => child.kill(signal));
  return new Promise((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      stopForwarding?.();
      reject(
        new CliError(
          error.code === "ENOENT"
            ? `command not found: ${command}`
            : `cannot run ${command}: ${error.message}`,
          127,
        ),
      );
    });
    child.once("close", (code, signal) => {
      stopForwarding?.();
      resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}
