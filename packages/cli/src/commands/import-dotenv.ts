import { AgentVaultError, type SecretMetadata, type SecretTier } from "@agentsecretstore/client";
import { importSecrets } from "@agentsecretstore/client/import";
import { parseDotenv } from "@agentsecretstore/protocol";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { formatDotenv } from "../environment/format-dotenv.js";
import { ExitCode } from "../exit-codes.js";

/** Options of {@link importDotenv}. */
export type ImportOptions = {
  tier?: SecretTier | undefined;
  tags?: Record<string, string> | undefined;
  /** Report what would change; write nothing. */
  dryRun?: boolean | undefined;
};

type Outcome = "new" | "updated" | "unchanged";

/**
 * Imports .env text below a namespace and reports each key as new, updated or unchanged. An
 * unchanged key is not sent, so it gets no new version. To know, the current value of each
 * existing standard-tier key is read (an audited read); a sensitive or critical one is not
 * read (that would ask a person) and counts as updated.
 */
export async function importDotenv(
  context: CommandContext,
  namespace: string,
  content: string,
  options: ImportOptions,
): Promise<void> {
  const parsed = parseDotenv(content);
  if (!parsed.ok) {
    const lines = parsed.issues.map((issue) => `line ${issue.line}: ${issue.message}`);
    throw new CliError(`the .env text is invalid: ${lines.join("; ")}.`, ExitCode.USAGE);
  }
  const vault = context.vault();
  const existing = await existingBelow(context, namespace);
  const outcomes = new Map<string, Outcome>();
  for (const entry of parsed.entries) {
    const path = namespace === "" ? entry.key : `${namespace}/${entry.key}`;
    const current = existing?.get(path);
    if (current === undefined) {
      outcomes.set(entry.key, existing === undefined ? "updated" : "new");
      continue;
    }
    const sameFields =
      (options.tier === undefined || options.tier === current.tier) &&
      (options.tags === undefined || sameTags(options.tags, current.tags));
    const same =
      sameFields && current.tier === "standard" && (await readsAs(vault, path, entry.value));
    outcomes.set(entry.key, same ? "unchanged" : "updated");
  }
  const changed = parsed.entries.filter((entry) => outcomes.get(entry.key) !== "unchanged");
  if (!options.dryRun && changed.length > 0) {
    await importSecrets(
      vault,
      namespace,
      formatDotenv(
        changed.map((entry) => [entry.key, entry.value]),
        { forShell: false },
      ),
      { ...(options.tier && { tier: options.tier }), ...(options.tags && { tags: options.tags }) },
    );
  }
  const by = (outcome: Outcome) =>
    parsed.entries.filter((entry) => outcomes.get(entry.key) === outcome).map((entry) => entry.key);
  const report = {
    namespace,
    dry_run: options.dryRun === true,
    new: by("new"),
    updated: by("updated"),
    unchanged: by("unchanged"),
  };
  const parts = (["new", "updated", "unchanged"] as const)
    .filter((outcome) => report[outcome].length > 0)
    .map((outcome) => `${report[outcome].length} ${outcome} (${report[outcome].join(", ")})`);
  const verb = options.dryRun ? "Would import" : "Imported";
  context.printDone(
    `${verb} below ${namespace || "the top level"}: ${parts.join("; ") || "nothing"}.`,
    report,
  );
  if (existing === undefined) {
    context.note(
      "ass: this credential may not list the namespace, so new and updated keys are not told apart.",
    );
  }
}

/** The secrets already below `namespace` by path, or undefined when the credential may not list it. */
async function existingBelow(
  context: CommandContext,
  namespace: string,
): Promise<Map<string, SecretMetadata> | undefined> {
  const found = new Map<string, SecretMetadata>();
  try {
    for await (const item of context.vault().listSecrets(namespace)) found.set(item.path, item);
  } catch (error) {
    if (error instanceof AgentVaultError && error.status === 403) return undefined;
    throw error;
  }
  return found;
}

/** Whether the secret's current value is `value`; false when it cannot be read without help. */
async function readsAs(
  vault: ReturnType<CommandContext["vault"]>,
  path: string,
  value: string,
): Promise<boolean> {
  try {
    return (await vault.getSecret(path)).value === value;
  } catch (error) {
    if (error instanceof AgentVaultError && error.status !== null && error.status < 500)
      return false;
    throw error;
  }
}

function sameTags(
  left: Readonly<Record<string, string>>,
  right: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}
