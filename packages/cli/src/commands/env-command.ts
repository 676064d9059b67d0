import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { importDotenv } from "./import-dotenv.js";
import { exportSecrets } from "./secrets-export-command.js";

/** `ass env import|export`: the hosted CLI 1.0's names for `secrets import` and `secrets export`. */
export function registerEnvCommand(program: Command, io: CliIo): void {
  const env = program
    .command("env")
    .description("Import and export secrets as .env files (as the hosted CLI 1.0 names them).");

  env
    .command("import")
    .description("Import a .env file into a namespace (same as `ass secrets import`).")
    .argument("[file]", "the .env file", ".env")
    .requiredOption("-n, --namespace <namespace>", "target namespace, e.g. staging/app")
    .option("--dry-run", "report what would be new, updated or unchanged; write nothing")
    .action(
      async (file: string, options: { namespace: string; dryRun?: boolean }, command: Command) => {
        const content = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
          throw new CliError(
            `cannot read ${file}: ${error.code ?? error.message}.`,
            ExitCode.USAGE,
          );
        });
        await importDotenv(commandContext(io, command), options.namespace, content, {
          dryRun: options.dryRun,
        });
      },
    );

  env
    .command("export")
    .description("Export a namespace's secrets as a .env file (same as `ass secrets export`).")
    .argument("<namespace>", "namespace to export from")
    .option("-o, --output <file>", "write to this file (mode 0600) instead of standard output")
    .action(async (namespace: string, options: { output?: string }, command: Command) => {
      await exportSecrets(commandContext(io, command), namespace, {
        format: "dotenv",
        ...(options.output !== undefined && { output: options.output }),
      });
    });
}
