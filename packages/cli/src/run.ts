import { Command, CommanderError } from "commander";
import type { CliIo } from "./cli-io.js";
import { registerAgentsCommand } from "./commands/agents-command.js";
import { registerApprovalsCommand } from "./commands/approvals-command.js";
import { registerAuditCommand } from "./commands/audit-command.js";
import { registerBackupCommand } from "./commands/backup-command.js";
import { registerSecretsCommand } from "./commands/secrets-command.js";
import { registerServerCommand } from "./commands/server-command.js";
import { registerTokensCommand } from "./commands/tokens-command.js";
import { describeFailure, EXIT_CODE_HELP, ExitCode } from "./exit-codes.js";

/**
 * Runs the `ass` command line with `argv` (without the node and script entries) and resolves to the exit code.
 * Nothing here calls `process.exit`, so tests drive it as a function.
 *
 * @example
 * const code = await run(["server", "--port", "0"], { stdout, stderr, env, signal });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
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
    .showHelpAfterError("(run `ass --help` for usage)")
    .addHelpText("after", `${CREDENTIALS_HELP}\n${EXIT_CODE_HELP}`);

  registerServerCommand(program, io);
  registerSecretsCommand(program, io);
  registerTokensCommand(program, io);
  registerApprovalsCommand(program, io);
  registerAuditCommand(program, io);
  registerAgentsCommand(program, io);
  registerBackupCommand(program, io);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

const CREDENTIALS_HELP = `
Credentials come from the environment (the lines \`ass server\` prints on its first start):
  ASS_BASE_URL   the vault API, e.g. http://127.0.0.1:8787/v1
  ASS_ADMIN_KEY  an admin key: needed for approvals, audit and agents; used for everything when set
  ASS_AGENT_KEY  an agent key, used for secrets and tokens when no admin key is set
  ASS_TOKEN      a scoped token, used when neither key is set`;

function exitCodeOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the help or the usage problem.
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  const failure = describeFailure(error);
  io.stderr.write(`ass: ${failure.message}\n`);
  return failure.exitCode;
}
