import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import { serverPackage } from "./server-package.js";

type BackupOptions = { dataDir: string };

const KEY_NOT_INCLUDED =
  "The master key is not in the backup: keep ASS_MASTER_KEY (or the data folder's master.key) safe, separately; without it the backup cannot be read.";

/** `ass backup <file>` and `ass restore <file> --data-dir <dir>`: the SQLite store, offline or online. */
export function registerBackupCommand(program: Command, io: CliIo): void {
  program
    .command("backup")
    .argument("<file>", "the backup file to write (never overwritten)")
    .summary("snapshot the SQLite store into a file, also while the server runs")
    .description(
      "Write a consistent snapshot of the SQLite store in --data-dir to <file> (mode 0600), also " +
        "while `ass server` runs and writes. Secrets are in it only as ciphertext. The master key " +
        "is NOT in it. For PostgreSQL (DATABASE_URL) use pg_dump instead (see the server README).",
    )
    .option("-d, --data-dir <dir>", "the server's data folder", ".ass-data")
    .addHelpText(
      "after",
      "\nExample:\n  ass backup backups/vault-$(date +%F).db --data-dir .ass-data",
    )
    .action(async (file: string, options: BackupOptions, command: Command) => {
      const context = commandContext(io, command);
      const { backupSqlite } = await serverPackage();
      const result = await backupSqlite(options.dataDir, file);
      context.printDone(`Backed up ${options.dataDir} to ${result.file} (${result.bytes} bytes).`, {
        file: result.file,
        bytes: result.bytes,
        master_key_included: false,
      });
      io.stderr.write(`${KEY_NOT_INCLUDED}\n`);
    });

  program
    .command("restore")
    .argument("<file>", "a backup written by `ass backup`")
    .summary("restore a backup into a new, empty data folder")
    .description(
      "Restore a backup written by `ass backup` into --data-dir, which must be new or empty (a " +
        "restore never overwrites data). When ASS_MASTER_KEY is set, the backup is checked " +
        "against it first. Then start `ass server --data-dir <dir>` with the vault's original " +
        "master key: ASS_MASTER_KEY, or its master.key copied into the folder (mode 0600).",
    )
    .requiredOption("-d, --data-dir <dir>", "the new data folder to restore into")
    .addHelpText(
      "after",
      "\nExample:\n  ass restore backups/vault-2026-01-15.db --data-dir .ass-data-restored\n" +
        "  ASS_MASTER_KEY=… ass server --data-dir .ass-data-restored",
    )
    .action(async (file: string, options: BackupOptions, command: Command) => {
      const context = commandContext(io, command);
      const { restoreSqlite } = await serverPackage();
      const result = await restoreSqlite(file, options.dataDir, { env: io.env });
      context.printDone(`Restored ${file} into ${result.databaseFile}.`, {
        database_file: result.databaseFile,
        master_key_checked: result.masterKeyChecked,
      });
      io.stderr.write(
        result.masterKeyChecked
          ? "The backup matches ASS_MASTER_KEY: start the server with it.\n"
          : `The master key is not in the backup: start the server with the vault's ASS_MASTER_KEY, or copy its master.key into ${options.dataDir} (chmod 600).\n`,
      );
    });
}
