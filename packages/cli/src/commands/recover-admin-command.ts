import type { EffectiveConfig } from "@agentsecretstore/server";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { serverPackage } from "./server-package.js";

/**
 * `ass server recover-admin`: the offline break-glass for a lost admin key. It takes the server's
 * own options (`--data-dir`, `--database-url`, `--config`, the ASS_* variables), so it reaches the
 * same data and master key the server does.
 */
export function registerRecoverAdminCommand(
  server: Command,
  io: CliIo,
  loadConfig: (options: Record<string, unknown>) => Promise<EffectiveConfig>,
): void {
  server
    .command("recover-admin")
    .summary("make a new operator admin key from the data folder and the master key (offline)")
    .description(
      "Break-glass for a lost admin key: whoever holds the data folder (or the PostgreSQL " +
        "database) and the master key gets a new operator admin key, printed once as a dotenv " +
        "line. Nothing else is revoked or changed; the audit log records admin.recovered. " +
        "Takes the server's options: ass server recover-admin --data-dir .ass-data",
    )
    .option("--name <name>", "the new admin's name", "operator-recovered")
    .action(async (options: { name: string }, command: Command) => {
      const config = await loadConfig(command.parent?.opts() ?? {});
      const { recoverAdmin } = await serverPackage();
      const databaseUrl = config.values["server.database_url"];
      const masterKey = config.values["server.master_key"];
      const recovered = await recoverAdmin({
        dataDir: config.values["server.data_dir"] ?? ".ass-data",
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
        env: masterKey === undefined ? {} : { ASS_MASTER_KEY: masterKey },
        name: options.name,
      });
      io.stdout.write(
        [
          "# A new operator admin key, shown only once. Other keys still work: delete the lost",
          `# admin with this one (ass admins list, ass admins delete <id>). New admin: ${recovered.adminId}`,
          `ASS_ADMIN_KEY=${recovered.adminKey}`,
          "",
        ].join("\n"),
      );
    });
}
