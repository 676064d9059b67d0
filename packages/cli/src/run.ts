import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { registerServerCommand } from "./commands/server-command.js";

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
    .showHelpAfterError("(run `ass --help` for usage)");

  registerServerCommand(program, io);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

function exitCodeOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed help or the usage problem.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof CliError) {
    io.stderr.write(`ass: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`ass: ${message}\n`);
  return 1;
}
