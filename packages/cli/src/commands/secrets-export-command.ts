import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { type CommandContext, commandContext } from "../command-context.js";
import { formatDotenv } from "../environment/format-dotenv.js";
import { fetchSecrets } from "../environment/secret-sources.js";
import { oneOf } from "../parse-options.js";

const FORMATS = ["dotenv", "json"] as const;
type ExportOptions = { format: (typeof FORMATS)[number]; output?: string };

/** `ass secrets export <namespace>`: every value below a namespace as .env lines or JSON. */
export function registerSecretsExportCommand(secrets: Command, io: CliIo): void {
  secrets
    .command("export")
    .description(
      "Print every secret below a namespace with its value, as .env lines (NAME=value, sourceable by a shell and readable by `ass secrets import`) or JSON; names as `ass run` gives them.",
    )
    .argument("<namespace>", "namespace such as staging/app")
    .option("--format <format>", `${FORMATS.join(" or ")}`, oneOf(FORMATS), "dotenv")
    .option("-o, --output <file>", "write to this file (mode 0600) instead of standard output")
    .action(async (namespace: string, options: ExportOptions, command: Command) => {
      await exportSecrets(commandContext(io, command), namespace, options);
    });
}

/** Shared by `secrets export` and the hosted CLI's `env export`. */
export async function exportSecrets(
  context: CommandContext,
  namespace: string,
  options: ExportOptions,
): Promise<void> {
  const values = await fetchSecrets(
    context.vault(),
    [{ kind: "namespace", path: namespace }],
    context.io.signal,
  );
  const entries = [...values.entries()].sort(([left], [right]) => left.localeCompare(right));
  const text =
    options.format === "json" || context.json
      ? `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`
      : formatDotenv(entries);
  if (options.output === undefined) {
    context.io.stdout.write(text);
    return;
  }
  await writeFile(options.output, text, { mode: 0o600 });
  context.note(
    `Wrote ${entries.length} secrets below ${namespace || "(everything)"} to ${options.output}.`,
  );
}
