import { readFile } from "node:fs/promises";
import type { SecretMetadata } from "@agentsecretstore/client";
import { SECRET_TYPES, type SecretType, TIERS, type Tier } from "@agentsecretstore/protocol";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import type { Column } from "../output/format-table.js";
import { dateTime, keyValue, oneOf, wholeNumber } from "../parse-options.js";
import { readSecretValue } from "../read-secret-value.js";

const METADATA_COLUMNS: readonly Column<SecretMetadata>[] = [
  { header: "path", value: (item) => item.path },
  { header: "version", value: (item) => item.version },
  { header: "tier", value: (item) => item.tier },
  { header: "type", value: (item) => item.secretType },
  { header: "updated", value: (item) => item.updatedAt },
  { header: "expires", value: (item) => item.expiresAt },
  { header: "description", value: (item) => item.description },
];

/** `ass secrets list|get|set|rotate|delete|import`. Values never go on the command line. */
export function registerSecretsCommand(program: Command, io: CliIo): void {
  const secrets = program
    .command("secrets")
    .description("Store, read, list, rotate and delete secrets.")
    .addHelpText(
      "after",
      "\nValues are read from standard input or a hidden prompt, never from arguments:\n" +
        '  printf %s "$KEY" | ass secrets set production/openai/api-key --tier sensitive\n' +
        "  ass secrets rotate production/openai/api-key --grace-period 300   # prompts for the new value",
    );

  secrets
    .command("list")
    .description("List the secrets below a namespace (metadata only, every page).")
    .argument(
      "[namespace]",
      "namespace such as production/openai; empty lists everything you may read",
      "",
    )
    .option("--limit <n>", "stop after this many secrets", wholeNumber(1))
    .action(async (namespace: string, options: { limit?: number }, command: Command) => {
      const context = commandContext(io, command);
      const items: SecretMetadata[] = [];
      for await (const item of context.vault().listSecrets(namespace)) {
        items.push(item);
        if (options.limit !== undefined && items.length >= options.limit) break;
      }
      context.printTable(items, METADATA_COLUMNS);
    });

  secrets
    .command("get")
    .description("Print a secret's value (or, with --metadata, its metadata and versions).")
    .argument("<path>", "secret path such as production/openai/api-key")
    .option("--version <n>", "read this version instead of the current one", wholeNumber(1))
    .option("--metadata", "print metadata and versions instead of the value")
    .action(
      async (path: string, options: { version?: number; metadata?: boolean }, command: Command) => {
        const context = commandContext(io, command);
        if (options.metadata) {
          const metadata = await context.vault().getMetadata(path);
          context.printDetails(
            [
              ["path", metadata.path],
              ["version", metadata.version],
              ["tier", metadata.tier],
              ["type", metadata.secretType],
              ["description", metadata.description],
              ["tags", metadata.tags],
              ["created", metadata.createdAt],
              ["updated", metadata.updatedAt],
              ["expires", metadata.expiresAt],
              ["versions", (metadata.versions ?? []).map((entry) => entry.version)],
            ],
            metadata,
          );
          return;
        }
        const secret = await context
          .vault()
          .getSecret(path, options.version === undefined ? {} : { version: options.version });
        if (context.json) {
          // Asked for in so many words: the value is printed, here and below.
          context.printDone("", { ...secret.toJSON(), value: secret.value });
        } else {
          io.stdout.write(`${secret.value}\n`);
        }
      },
    );

  secrets
    .command("set")
    .description("Store a value at a path: creates the secret, or adds a version.")
    .argument("<path>", "secret path such as production/openai/api-key")
    .option("--tier <tier>", `who must approve reads: ${TIERS.join(", ")}`, oneOf(TIERS))
    .option("--type <type>", `kind of secret: ${SECRET_TYPES.join(", ")}`, oneOf(SECRET_TYPES))
    .option("--description <text>", "what the secret is for")
    .option("--tag <key=value>", "a tag (repeatable)", keyValue)
    .option("--expires-at <date>", "ISO-8601 time after which reads answer 404", dateTime)
    .option("--if-version <n>", "only if the current version is n (0: only if new)", wholeNumber(0))
    .option("--from-file <file>", "read the value from a file instead of standard input")
    .action(async (path: string, options: SetOptions, command: Command) => {
      const context = commandContext(io, command);
      const value = await readSecretValue(io, {
        fromFile: options.fromFile,
        prompt: `Value for ${path} (hidden): `,
      });
      const metadata = await context.vault().setSecret(path, value, {
        ...(options.tier && { tier: options.tier }),
        ...(options.type && { secretType: options.type }),
        ...(options.description !== undefined && { description: options.description }),
        ...(options.tag && { tags: options.tag }),
        ...(options.expiresAt && { expiresAt: options.expiresAt }),
        ...(options.ifVersion !== undefined && { ifVersion: options.ifVersion }),
      });
      context.printDone(`Stored ${metadata.path} version ${metadata.version}.`, metadata);
    });

  secrets
    .command("rotate")
    .description("Replace a secret's value; the old version stays readable for the grace period.")
    .argument("<path>", "secret path")
    .option(
      "--grace-period <seconds>",
      "how long the old version stays readable",
      wholeNumber(0),
      0,
    )
    .option("--from-file <file>", "read the new value from a file instead of standard input")
    .action(
      async (
        path: string,
        options: { gracePeriod: number; fromFile?: string },
        command: Command,
      ) => {
        const context = commandContext(io, command);
        const value = await readSecretValue(io, {
          fromFile: options.fromFile,
          prompt: `New value for ${path} (hidden): `,
        });
        const result = await context
          .vault()
          .rotateSecret(path, value, { gracePeriodSeconds: options.gracePeriod });
        const until = result.expiresAt
          ? ` (version ${result.oldVersion} readable until ${result.expiresAt.toISOString()})`
          : "";
        context.printDone(`Rotated ${path} to version ${result.newVersion}${until}.`, result);
      },
    );

  secrets
    .command("delete")
    .description("Delete a secret and every one of its versions.")
    .argument("<path>", "secret path")
    .option("--yes", "confirm: this cannot be undone")
    .action(async (path: string, options: { yes?: boolean }, command: Command) => {
      if (!options.yes) {
        throw new CliError(`deleting ${path} destroys every version; add --yes to confirm.`, 2);
      }
      const context = commandContext(io, command);
      await context.vault().deleteSecret(path);
      context.printDone(`Deleted ${path}.`, { path, deleted: true });
    });

  secrets
    .command("import")
    .description("Import a .env file's KEY=VALUE lines as secrets below a namespace.")
    .argument("<namespace>", "namespace the keys go under, e.g. staging/app")
    .option("--file <file>", "the .env file (default: standard input)")
    .option("--tier <tier>", `tier of every imported secret: ${TIERS.join(", ")}`, oneOf(TIERS))
    .option("--tag <key=value>", "a tag on every imported secret (repeatable)", keyValue)
    .action(
      async (
        namespace: string,
        options: { file?: string; tier?: Tier; tag?: Record<string, string> },
        command: Command,
      ) => {
        const context = commandContext(io, command);
        const content =
          options.file !== undefined
            ? await readFile(options.file, "utf8")
            : await readSecretValue(io, { prompt: "Paste the .env content, then Enter: " });
        const result = await context.vault().importSecrets(namespace, content, {
          ...(options.tier && { tier: options.tier }),
          ...(options.tag && { tags: options.tag }),
        });
        context.printDone(
          `Imported ${result.importedCount} secrets below ${namespace}: ${result.imported.join(", ")}`,
          result,
        );
      },
    );
}

type SetOptions = {
  tier?: Tier;
  type?: SecretType;
  description?: string;
  tag?: Record<string, string>;
  expiresAt?: Date;
  ifVersion?: number;
  fromFile?: string;
};
