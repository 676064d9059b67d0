import type { AuditEvent } from "@agentsecretstore/client/admin";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { type CommandContext, commandContext } from "../command-context.js";
import { type Column, formatTable } from "../output/format-table.js";
import { idsOnly, type NameOf, principalNames } from "../output/principal-names.js";
import { wholeNumber } from "../parse-options.js";
import { sleep, stopQuietlyOnAbort } from "../sleep.js";
import { readAuditCheckpoints, writeAuditCheckpoint } from "./audit-checkpoint.js";

const auditColumns = (nameOf: NameOf): readonly Column<AuditEvent>[] => [
  { header: "at", value: (event) => event.at },
  { header: "event", value: (event) => event.event },
  {
    header: "outcome",
    value: (event) => event.outcome,
    paint: (event) => (event.outcome === "success" ? undefined : "red"),
  },
  { header: "actor", value: (event) => `${event.actorType} ${nameOf(event.actorId) ?? "-"}` },
  { header: "path", value: (event) => event.path },
  { header: "version", value: (event) => event.version },
  { header: "ip", value: (event) => event.ip },
  { header: "request", value: (event) => event.requestId },
];

type AuditOptions = {
  limit?: number;
  path?: string;
  event?: string;
  actor?: string;
  follow?: boolean;
  interval: number;
};

/** `ass audit [--follow]`, `ass audit verify [--checkpoint file…]`, `ass audit checkpoint` (admin key). */
export function registerAuditCommand(program: Command, io: CliIo): void {
  const audit = program
    .command("audit")
    .description(
      "Show the audit log (oldest first), or follow it; `ass audit verify` checks its hash chain.",
    )
    .option("-l, --limit <n>", "show at most this many events (the newest)", wholeNumber(1))
    .option("--path <path>", "only events about this secret path")
    .option("--event <name>", "only this event, e.g. secret.read, approval.granted, auth.failed")
    .option("--actor <id>", "only events by this agent, admin or token id")
    .option("-f, --follow", "keep printing new events as they happen (Ctrl-C to stop)")
    .option("--tail", "same as --follow (the hosted CLI's name)")
    .option(
      "--interval <seconds>",
      "with --follow, how often to look for new events",
      wholeNumber(1),
      1,
    )
    .action(async (options: AuditOptions & { tail?: boolean }, command: Command) => {
      const follow = options.follow === true || options.tail === true;
      await showAudit(commandContext(io, command), { ...options, follow });
    });

  audit
    .command("verify")
    .description(
      "Check the audit log's hash chain end to end, and that it still holds each checkpoint given; exits 1 when it is broken.",
    )
    .option(
      "--checkpoint <file...>",
      "checkpoint files written by `ass audit checkpoint --out` (catches events cut off the end)",
    )
    .action(async (options: { checkpoint?: string[] }, command: Command) => {
      const context = commandContext(io, command);
      const checkpoints = await readAuditCheckpoints(options.checkpoint ?? []);
      const result = await context.admin().verifyAudit({ checkpoints });
      if (context.json) context.printDone("", result);
      if (!result.ok) {
        throw new CliError(
          `the audit chain is broken at event ${result.brokenAt}: ${result.reason ?? "hash mismatch"}.`,
        );
      }
      if (!context.json) {
        const held = checkpoints.length === 0 ? "" : `, ${checkpoints.length} checkpoints held`;
        io.stdout.write(`Audit chain intact: ${result.count} events verified${held}.\n`);
      }
    });

  audit
    .command("checkpoint")
    .description(
      "Print (or write to a new file) the vault's signed checkpoint of the audit chain head; keep it outside the vault and pass it to `ass audit verify --checkpoint`.",
    )
    .option("-o, --out <file>", "write it to this new file instead of standard output")
    .action(async (options: { out?: string }, command: Command) => {
      await writeAuditCheckpoint(commandContext(io, command), options.out);
    });
}

async function showAudit(context: CommandContext, options: AuditOptions): Promise<void> {
  const admin = context.admin();
  const columns = auditColumns(
    context.json ? idsOnly : await principalNames(admin, context.io.signal),
  );
  const filters = {
    ...(options.path !== undefined && { path: options.path }),
    ...(options.event !== undefined && { event: options.event }),
    ...(options.actor !== undefined && { actor: options.actor }),
  };
  const events: AuditEvent[] = [];
  for await (const event of admin.listAudit(filters)) {
    events.push(event);
  }
  // Oldest first, so the newest --limit events are the tail.
  const shown = options.limit === undefined ? events : events.slice(-options.limit);
  if (!options.follow) {
    context.printTable(shown, columns);
    return;
  }

  const printEvents = (batch: readonly AuditEvent[], withHeader: boolean) => {
    if (batch.length === 0) return;
    if (context.json) {
      for (const event of batch) context.io.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    const table = formatTable(batch, columns, context.out);
    context.io.stdout.write(withHeader ? table : table.slice(table.indexOf("\n") + 1));
  };
  printEvents(shown, true);

  let cursor = events.at(-1)?.seq ?? null;
  const signal = context.io.signal;
  while (!signal?.aborted) {
    await sleep(options.interval * 1000, signal);
    const request = admin.listAudit({
      ...filters,
      ...(cursor !== null && { cursor: String(cursor) }),
      ...(signal && { signal }),
    });
    const page = await Promise.resolve(request).catch(stopQuietlyOnAbort(signal));
    if (page === undefined) return;
    printEvents(page.items, cursor === null && page.items.length > 0);
    cursor = page.items.at(-1)?.seq ?? cursor;
  }
}
