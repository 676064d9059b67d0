import type { EffectiveConfig } from "@agentsecretstore/server";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { serverPackage } from "./server-package.js";

/**
 * `ass server rotate-master-key`: rotates the master key beside running servers (the server
 * package's `rotateMasterKey`). It takes the server's own options (`--data-dir`,
 * `--database-url`, `--config`, the ASS_* variables), so it reaches the same data and key the
 * server does. It never prints a key; it says where the new one is.
 */
export function registerRotateMasterKeyCommand(
  server: Command,
  io: CliIo,
  loadConfig: (options: Record<string, unknown>) => Promise<EffectiveConfig>,
): void {
  server
    .command("rotate-master-key")
    .summary("rotate the master key online: re-wrap every value, then retire the old key")
    .description(
      "Writes a new master key to <data dir>/master.key.next, makes it current in the vault's " +
        "keyring (running servers follow within seconds, also those given only the old key), " +
        "re-wraps every value under it in batches while the servers keep serving, then retires " +
        "the old key and, for a key file, moves master.key.next to master.key (the old key is " +
        "kept as master.key.retired-<id> for old backups). No agent key, token or audit chain " +
        "breaks. Run it again after a crash: it finishes the rotation under way. With " +
        "ASS_MASTER_KEY, give every instance the new key before the old one is retired " +
        "(--no-retire, restart them, then run again).",
    )
    .option("--batch-size <n>", "values re-wrapped per transaction", "200")
    .option("--no-retire", "stop before retiring the old key (run again to retire it)")
    .action(async (options: { batchSize: string; retire: boolean }, command: Command) => {
      const config = await loadConfig(command.parent?.opts() ?? {});
      const { rotateMasterKey } = await serverPackage();
      const databaseUrl = config.values["server.database_url"];
      const masterKey = config.values["server.master_key"];
      const batchSize = Number(options.batchSize);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        throw new CliError("--batch-size must be a whole number ≥ 1", 2);
      }
      const rotation = await rotateMasterKey({
        dataDir: config.values["server.data_dir"] ?? ".ass-data",
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
        env: masterKey === undefined ? {} : { ASS_MASTER_KEY: masterKey },
        batchSize,
        retire: options.retire,
        onBatch: ({ rewrapped }) => {
          io.stderr.write(`re-wrapped ${rewrapped} values\n`);
        },
      });
      io.stdout.write(
        [
          `${rotation.resumed ? "Finished the rotation under way" : "Rotated the master key"}: ${rotation.oldKeyId} → ${rotation.newKeyId}, ${rotation.rewrapped} values re-wrapped.`,
          rotation.retired
            ? `The old key is retired. The new key is in ${rotation.newKeyFile}${masterKey === undefined ? "" : ": set ASS_MASTER_KEY to its contents on every instance"}.`
            : `The old key still opens the vault. The new key is in ${rotation.newKeyFile}: give it to every instance, then run this again to retire the old key.`,
          "",
        ].join("\n"),
      );
    });
}
