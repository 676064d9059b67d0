import type { SecretVersionInfo } from "@agentsecretstore/client";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { confirm } from "../output/confirm.js";
import type { Column } from "../output/format-table.js";
import { wholeNumber } from "../parse-options.js";

type VersionRow = SecretVersionInfo & { state: string };

const VERSION_COLUMNS: readonly Column<VersionRow>[] = [
  { header: "version", value: (row) => row.version },
  {
    header: "state",
    value: (row) => row.state,
    paint: (row) =>
      row.state === "current" ? "green" : row.state === "retired" ? "dim" : undefined,
  },
  { header: "created", value: (row) => row.createdAt },
  { header: "retired", value: (row) => row.retiredAt },
];

/** `ass secrets versions <path>` and `ass secrets rollback <path>`. */
export function registerSecretVersionsCommands(secrets: Command, io: CliIo): void {
  secrets
    .command("versions")
    .description(
      "List a secret's versions: when each was written, and when it stopped (or stops) being readable after a rotation.",
    )
    .argument("<path>", "secret path")
    .action(async (path: string, _options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const metadata = await context.vault().getMetadata(path);
      const now = Date.now();
      const rows = [...(metadata.versions ?? [])]
        .sort((left, right) => right.version - left.version)
        .map((entry) => ({ ...entry, state: stateOf(entry, metadata.version, now) }));
      context.printTable(rows, VERSION_COLUMNS, metadata.versions ?? []);
    });

  secrets
    .command("rollback")
    .description(
      "Make an earlier version's value current again, as a new version (the history stays; a retired version cannot come back).",
    )
    .argument("<path>", "secret path")
    .option(
      "--to <version>",
      "the version to bring back (default: the one before the current)",
      wholeNumber(1),
    )
    .option("-y, --yes", "do not ask")
    .action(async (path: string, options: { to?: number; yes?: boolean }, command: Command) => {
      const context = commandContext(io, command);
      const vault = context.vault();
      const metadata = await vault.getMetadata(path);
      const target = options.to ?? metadata.version - 1;
      const entry = metadata.versions?.find((version) => version.version === target);
      if (target === metadata.version) {
        throw new CliError(`${path} is already at version ${target}.`, ExitCode.USAGE);
      }
      if (entry === undefined) {
        throw new CliError(
          `${path} has no version ${target} (\`ass secrets versions ${path}\`).`,
          ExitCode.NOT_FOUND,
        );
      }
      if (entry.retiredAt !== null && entry.retiredAt.getTime() <= Date.now()) {
        throw new CliError(
          `version ${target} of ${path} was retired after a rotation and cannot be read.`,
          ExitCode.USAGE,
        );
      }
      await confirm(
        io,
        `Make version ${target}'s value current again (as version ${metadata.version + 1} of ${path})?`,
        {
          yes: options.yes,
          refusal: `rolling ${path} back replaces its current value`,
        },
      );
      const old = await vault.getSecret(path, { version: target });
      // If-Match: a write that landed meanwhile is not silently overwritten.
      const written = await vault.setSecret(path, old.value, { ifVersion: metadata.version });
      context.printDone(
        `Rolled ${path} back: version ${written.version} now holds version ${target}'s value.`,
        { path, version: written.version, restored_from: target },
      );
    });
}

function stateOf(entry: SecretVersionInfo, current: number, now: number): string {
  if (entry.version === current) return "current";
  if (entry.retiredAt === null) return "readable";
  return entry.retiredAt.getTime() <= now ? "retired" : "retiring";
}
