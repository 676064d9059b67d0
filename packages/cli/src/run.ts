import { Command, CommanderError, Option } from "commander";
import type { CliIo } from "./cli-io.js";
import { credentialUsed } from "./command-context.js";
import { registerAgentsCommand } from "./commands/agents-command.js";
import { registerApprovalsCommand } from "./commands/approvals-command.js";
import { registerAuditCommand } from "./commands/audit-command.js";
import { registerBackupCommand } from "./commands/backup-command.js";
import { registerCompletionCommand } from "./commands/completion-command.js";
import { registerEnvCommand } from "./commands/env-command.js";
import { registerIdentityCommands } from "./commands/identity-command.js";
import { registerMcpCommand } from "./commands/mcp-command.js";
import { registerRunCommand } from "./commands/run-command.js";
import { registerSecretVersionsCommands } from "./commands/secret-versions-command.js";
import { registerSecretsCommand } from "./commands/secrets-command.js";
import { registerSecretsExportCommand } from "./commands/secrets-export-command.js";
import { registerServerCommand } from "./commands/server-command.js";
import { registerTokensCommand } from "./commands/tokens-command.js";
import { registerWebhookCommand } from "./commands/webhook-command.js";
import { CREDENTIAL_KINDS } from "./credentials/resolve-credential.js";
import { describeFailure, EXIT_CODE_HELP, ExitCode } from "./exit-codes.js";
import { PACKAGE_VERSION } from "./package-version.js";

/**
 * Runs the `ass` command line with `argv` (without the node and script entries) and resolves to the exit code.
 * Nothing here calls `process.exit`, so tests drive it as a function.
 *
 * @example
 * const code = await run(["server", "--port", "0"], { stdout, stderr, env, signal });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // By hand rather than commander's .version(): that would also take `secrets get --version <n>`.
  if (argv.length === 1 && (argv[0] === "-v" || argv[0] === "--version")) {
    io.stdout.write(`${PACKAGE_VERSION}\n`);
    return ExitCode.OK;
  }
  const program = new Command()
    .name("ass")
    .description("Agent Secret Store: a self-hostable secrets vault for AI agents.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .option("--json", "print machine-readable JSON instead of tables")
    .option("--base-url <url>", "vault API address (default: $ASS_BASE_URL)")
    .addOption(
      new Option("--as <kind>", "act with this credential instead of the usual one").choices(
        CREDENTIAL_KINDS,
      ),
    )
    .option("--no-color", "no colours, even on a terminal (also: NO_COLOR=1)")
    .showHelpAfterError("(run `ass --help` for usage)")
    .addHelpText("before", `ass ${PACKAGE_VERSION} (ass -v, ass --version)\n`)
    .addHelpText("after", `${CREDENTIALS_HELP}\n${EXIT_CODE_HELP}`);

  registerServerCommand(program, io);
  registerIdentityCommands(program, io);
  const secrets = registerSecretsCommand(program, io);
  registerSecretVersionsCommands(secrets, io);
  registerSecretsExportCommand(secrets, io);
  registerEnvCommand(program, io);
  registerTokensCommand(program, io);
  registerRunCommand(program, io);
  registerApprovalsCommand(program, io);
  registerAuditCommand(program, io);
  registerAgentsCommand(program, io);
  registerWebhookCommand(program, io);
  registerBackupCommand(program, io);
  registerCompletionCommand(program, io);
  registerMcpCommand(program, io);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.OK;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

const CREDENTIALS_HELP = `
Credentials come from the environment (\`ass server\` prints the keys on its first start):
  ASS_BASE_URL   the vault API, e.g. http://127.0.0.1:8787/v1
  ASS_TOKEN      a scoped token (ast_tok_…)
  ASS_AGENT_KEY  an agent key (ass_live_…)
  ASS_ADMIN_KEY  an admin key (ass_admin_…)
Which one a command uses:
  secrets, tokens, run, whoami   ASS_TOKEN, else ASS_AGENT_KEY, else ASS_ADMIN_KEY
  approvals, audit, agents,      ASS_ADMIN_KEY only
  admins, webhook
  approvals show|watch|cancel    ASS_ADMIN_KEY, else the requester's ASS_TOKEN or ASS_AGENT_KEY
  --as token|agent|admin picks one; \`ass whoami\` shows which is used.`;

function exitCodeOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the help, the version or the usage problem.
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  const failure = describeFailure(error, { credentialVariable: credentialUsed(io)?.variable });
  // An empty message: the failure was already said (`ass run` passing on its command's code).
  if (failure.message !== "") io.stderr.write(`ass: ${failure.message}\n`);
  return failure.exitCode;
}
