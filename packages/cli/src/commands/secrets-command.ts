import { readFile } from "node:fs/promises";
import { AgentVaultApprovalPendingError, type SecretMetadata } from "@agentsecretstore/client";
import {
  describeDestinations,
  SECRET_TYPES,
  type SecretType,
  TIERS,
  type Tier,
} from "@agentsecretstore/protocol";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { waitForApprovalWithProgress } from "../output/approval-progress.js";
import { confirm } from "../output/confirm.js";
import type { Column } from "../output/format-table.js";
import {
  type DestinationOption,
  dateTime,
  destination,
  keyValue,
  oneOf,
  wholeNumber,
} from "../parse-options.js";
import { readSecretValue } from "../read-secret-value.js";
import { importDotenv } from "./import-dotenv.js";

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
export function registerSecretsCommand(program: Command, io: CliIo): Command {
  const secrets = program
    .command("secrets")
    .description("Store, read, list, rotate and delete secrets.")
    .addHelpText(
      "after",
      "\nValues are best read from standard input or a hidden prompt (an argument stays in shell history):\n" +
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
    .argument("[path]", "secret path such as production/openai/api-key")
    .option("--version <n>", "read this version instead of the current one", wholeNumber(1))
    .option("--metadata", "print metadata and versions instead of the value")
    .option(
      "--wait",
      "if a person must approve first, wait for it (progress on stderr), then print",
    )
    .option("-n, --namespace <namespace>", "namespace, with --key (instead of a path)")
    .option("-k, --key <key>", "key below --namespace")
    .action(async (pathArgument: string | undefined, options: GetOptions, command: Command) => {
      const context = commandContext(io, command);
      const path = pathFrom(pathArgument, options);
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
            [
              "allowed destinations",
              describeDestinations(
                metadata.allowedDestinations?.map((entry) => ({
                  origin: entry.origin,
                  path_prefixes: entry.pathPrefixes === null ? undefined : [...entry.pathPrefixes],
                })) ?? null,
              ),
            ],
            ["approval", metadata.approval ?? "none"],
            ["versions", (metadata.versions ?? []).map((entry) => entry.version)],
          ],
          metadata,
        );
        return;
      }
      const read = () =>
        context
          .vault()
          .getSecret(path, options.version === undefined ? {} : { version: options.version });
      const secret = await read().catch(async (error: unknown) => {
        if (!(error instanceof AgentVaultApprovalPendingError) || !options.wait) throw error;
        if (error.approvalRequestId === null) throw error;
        context.note(
          `ass: reading ${path} needs a person's approval (${error.approvalRequestId}); waiting (Ctrl-C to give up).`,
        );
        const approver = context.approvalsAs(context.credential("secrets"));
        await waitForApprovalWithProgress(context, approver, error.approvalRequestId);
        return read();
      });
      if (context.json) {
        // Asked for in so many words: the value is printed, here and below.
        context.printDone("", { ...secret.toJSON(), value: secret.value });
      } else {
        io.stdout.write(`${secret.value}\n`);
      }
    });

  secrets
    .command("set")
    .description("Store a value at a path: creates the secret, or adds a version.")
    .argument("<path>", "secret path such as production/openai/api-key")
    .argument(
      "[value]",
      "the value; better piped or typed at the prompt (an argument stays in shell history and ps)",
    )
    .option("--tier <tier>", `who must approve reads: ${TIERS.join(", ")}`, oneOf(TIERS))
    .option("-t, --type <type>", `kind of secret: ${SECRET_TYPES.join(", ")}`, oneOf(SECRET_TYPES))
    .option("--description <text>", "what the secret is for")
    .option("--tag <key=value>", "a tag (repeatable)", keyValue)
    .option("--expires-at <date>", "ISO-8601 time after which reads answer 404", dateTime)
    .option("--if-version <n>", "only if the current version is n (0: only if new)", wholeNumber(0))
    .option(
      "--allowed-destination <origin[/prefix]>",
      "where the value may be sent, e.g. https://api.openai.com/v1/ (repeatable)",
      destination,
    )
    .option(
      "--approval <mode>",
      "per_call: each brokered call needs a person's approval; none: turn it off",
      oneOf(["per_call", "none"] as const),
    )
    .option("--from-file <file>", "read the value from a file instead of standard input")
    .action(
      async (path: string, given: string | undefined, options: SetOptions, command: Command) => {
        const context = commandContext(io, command);
        if (given !== undefined) context.note(VALUE_ARGUMENT_WARNING);
        const value =
          given ??
          (await readSecretValue(io, {
            fromFile: options.fromFile,
            prompt: `Value for ${path} (hidden): `,
          }));
        const metadata = await context.vault().setSecret(path, value, {
          ...(options.tier && { tier: options.tier }),
          ...(options.type && { secretType: options.type }),
          ...(options.description !== undefined && { description: options.description }),
          ...(options.tag && { tags: options.tag }),
          ...(options.expiresAt && { expiresAt: options.expiresAt }),
          ...(options.ifVersion !== undefined && { ifVersion: options.ifVersion }),
          ...(options.allowedDestination && { allowedDestinations: options.allowedDestination }),
          ...(options.approval && {
            approval: options.approval === "none" ? null : options.approval,
          }),
        });
        context.printDone(`Stored ${metadata.path} version ${metadata.version}.`, metadata);
      },
    );

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
    .alias("rm")
    .description("Delete a secret and every one of its versions (asks first on a terminal).")
    .argument("<path>", "secret path")
    .option("-y, --yes", "do not ask: this cannot be undone")
    .option("-f, --force", "same as --yes")
    .action(async (path: string, options: { yes?: boolean; force?: boolean }, command: Command) => {
      await confirm(io, `Delete ${path} and every one of its versions?`, {
        yes: options.yes === true || options.force === true,
        refusal: `deleting ${path} destroys every version`,
      });
      const context = commandContext(io, command);
      await context.vault().deleteSecret(path);
      context.printDone(`Deleted ${path}.`, { path, deleted: true });
    });

  secrets
    .command("import")
    .description(
      "Import a .env file's KEY=VALUE lines as secrets below a namespace, reporting each key as new, updated or unchanged (an unchanged value gets no new version).",
    )
    .argument("<namespace>", "namespace the keys go under, e.g. staging/app")
    .option("--file <file>", "the .env file (default: standard input)")
    .option("--tier <tier>", `tier of every imported secret: ${TIERS.join(", ")}`, oneOf(TIERS))
    .option("--tag <key=value>", "a tag on every imported secret (repeatable)", keyValue)
    .option("--dry-run", "report what would be new, updated or unchanged; write nothing")
    .action(async (namespace: string, options: ImportCommandOptions, command: Command) => {
      const context = commandContext(io, command);
      const content =
        options.file !== undefined
          ? await readFile(options.file, "utf8")
          : await readSecretValue(io, { prompt: "Paste the .env content, then Enter: " });
      await importDotenv(context, namespace, content, {
        tier: options.tier,
        tags: options.tag,
        dryRun: options.dryRun,
      });
    });
  return secrets;
}

type SetOptions = {
  tier?: Tier;
  type?: SecretType;
  description?: string;
  tag?: Record<string, string>;
  expiresAt?: Date;
  ifVersion?: number;
  allowedDestination?: DestinationOption[];
  approval?: "per_call" | "none";
  fromFile?: string;
};

type ImportCommandOptions = {
  file?: string;
  tier?: Tier;
  tag?: Record<string, string>;
  dryRun?: boolean;
};

type GetOptions = {
  version?: number;
  metadata?: boolean;
  wait?: boolean;
  namespace?: string;
  key?: string;
};

/** The path from the argument, or from the hosted CLI's `--namespace` + `--key`. */
function pathFrom(path: string | undefined, options: GetOptions): string {
  if (path !== undefined) return path;
  if (options.namespace !== undefined && options.key !== undefined) {
    return `${options.namespace}/${options.key}`;
  }
  throw new CliError("name the secret: a path, or --namespace and --key.", ExitCode.USAGE);
}

/** Said on stderr when a value comes as an argument (it still works, as in the hosted CLI). */
const VALUE_ARGUMENT_WARNING =
  "ass: warning: a value given as an argument stays in your shell history and is visible in the process list; pipe it on standard input or type it at the prompt instead.";
