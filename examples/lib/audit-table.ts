import type { AuditEvent, VaultAdmin } from "@agentsecretstore/client/admin";
import { say, table } from "./narrate.js";

/** Options of {@link printAuditTable}. */
export type AuditTableOptions = {
  /** Display names for agent, admin and token ids (`tok_…` → `researcher`). */
  names: ReadonlyMap<string, string>;
  /** Times are printed relative to this moment. */
  since: Date;
};

/**
 * Prints the audit log as a compact table: one row per event, consecutive identical rows
 * folded into one with a count, ids replaced by names. Returns the number of events read.
 */
export async function printAuditTable(
  admin: VaultAdmin,
  options: AuditTableOptions,
): Promise<number> {
  const rows: { cells: string[]; count: number }[] = [];
  let events = 0;
  for await (const event of admin.listAudit({ limit: 200 })) {
    events += 1;
    const cells = describe(event, options);
    const previous = rows.at(-1);
    if (previous !== undefined && cells.slice(1).join("|") === previous.cells.slice(1).join("|")) {
      previous.count += 1;
      continue;
    }
    rows.push({ cells, count: 1 });
  }
  table(
    ["time", "event", "actor", "path", "outcome"],
    rows.map(({ cells, count }) =>
      count === 1 ? cells : [...cells.slice(0, 4), `${cells[4]} ×${count}`],
    ),
  );
  say(`${events} events in ${rows.length} rows`);
  return events;
}

function describe(event: AuditEvent, options: AuditTableOptions): string[] {
  const seconds = (event.at.getTime() - options.since.getTime()) / 1000;
  const name = (id: string | null) => (id === null ? undefined : options.names.get(id));
  const actor =
    name(event.tokenId) ?? name(event.actorId) ?? event.actorId ?? event.actorType ?? "";
  const version = event.version === null ? "" : ` v${event.version}`;
  return [
    `+${Math.max(0, seconds).toFixed(2)}s`,
    event.event,
    actor,
    event.path === null ? "" : `${event.path}${version}`,
    outcome(event, name),
  ];
}

/** The outcome, with the one detail that tells the story (approvals so far, whose subject). */
function outcome(event: AuditEvent, name: (id: string | null) => string | undefined): string {
  const detail = event.detail;
  if (typeof detail.approvals === "number" && typeof detail.required_approvals === "number") {
    return `${event.outcome} (${detail.approvals} of ${detail.required_approvals})`;
  }
  if (detail.reason === "delay_elapsed") return `${event.outcome} (delay over)`;
  const subject = typeof detail.subject_id === "string" ? name(detail.subject_id) : undefined;
  if (subject !== undefined) return `${event.outcome} (${subject})`;
  const issued =
    typeof detail.issued_token_id === "string" ? name(detail.issued_token_id) : undefined;
  if (issued !== undefined) return `${event.outcome} (for ${issued})`;
  return event.outcome;
}
