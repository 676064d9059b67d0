import { readFile, writeFile } from "node:fs/promises";
import type { AuditCheckpoint } from "@agentsecretstore/client/admin";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";

/**
 * `ass audit checkpoint [--out file]`: the vault's signed checkpoint of the audit chain head, as
 * JSON on standard output or in a new file (never overwritten: an old checkpoint is evidence).
 */
export async function writeAuditCheckpoint(
  context: CommandContext,
  out: string | undefined,
): Promise<void> {
  const checkpoint = await context.admin().auditCheckpoint();
  const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
  if (out === undefined) {
    context.io.stdout.write(text);
    return;
  }
  try {
    await writeFile(out, text, { flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "EEXIST"
        ? `${out} already exists: write each checkpoint to a new file (an old one is evidence).`
        : `could not write ${out} (${code ?? "error"}).`,
    );
  }
  context.printDone(`Checkpoint of seq ${checkpoint.seq} written to ${out}.`, checkpoint);
}

/** Reads checkpoint files written by {@link writeAuditCheckpoint} (each one, or a JSON list of them). */
export async function readAuditCheckpoints(files: readonly string[]): Promise<AuditCheckpoint[]> {
  const checkpoints: AuditCheckpoint[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        code === undefined
          ? `${file} is not JSON: give a file written by \`ass audit checkpoint --out\`.`
          : `could not read ${file} (${code}).`,
      );
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (typeof item !== "object" || item === null || !("signature" in item)) {
        throw new CliError(
          `${file} does not hold an audit checkpoint: give a file written by \`ass audit checkpoint --out\`.`,
        );
      }
      checkpoints.push(item as AuditCheckpoint);
    }
  }
  return checkpoints;
}
