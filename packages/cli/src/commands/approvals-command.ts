import type { ApprovalRequest } from "@agentsecretstore/client";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { type CommandContext, commandContext } from "../command-context.js";
import { describeApproval } from "../output/approval-progress.js";
import type { Column } from "../output/format-table.js";
import { idsOnly, type NameOf, principalNames } from "../output/principal-names.js";
import type { Paint } from "../output/terminal-style.js";
import { oneOf, wholeNumber } from "../parse-options.js";
import { sleep, stopQuietlyOnAbort } from "../sleep.js";

const STATUSES = ["pending", "approved", "denied", "cancelled", "expired", "all"] as const;

const approvalColumns = (nameOf: NameOf): readonly Column<ApprovalRequest>[] => [
  { header: "id", value: (approval) => approval.id },
  { header: "status", value: (approval) => approval.status, paint: statusPaint },
  {
    header: "tier",
    value: (approval) => approval.tier,
    paint: (approval) => (approval.tier === "critical" ? "red" : undefined),
  },
  {
    header: "approvals",
    value: (approval) => `${approval.approvals.length}/${approval.requiredApprovals}`,
  },
  { header: "requested by", value: (approval) => nameOf(approval.requestedBy) },
  { header: "for", value: (approval) => approval.path ?? approval.scopes },
  { header: "requested", value: (approval) => approval.createdAt },
  { header: "eligible", value: (approval) => approval.eligibleAt },
  { header: "description", value: (approval) => approval.description },
];

/** `ass approvals list|show|approve|deny|cancel|watch`: the person in the loop (admin key). */
export function registerApprovalsCommand(program: Command, io: CliIo): void {
  const approvals = program
    .command("approvals")
    .description("Review and decide requests to read sensitive and critical secrets (admin key).")
    .addHelpText(
      "after",
      "\nsensitive: one approval. critical: two approvals by different admins, then a delay\n" +
        "(5 minutes by default) during which anyone may cancel.\n" +
        '  ass approvals list\n  ass approvals approve apr_… --comment "nightly batch, ok"',
    );

  approvals
    .command("list")
    .alias("ls")
    .description("List approval requests (pending ones by default).")
    .option("--status <status>", `one of ${STATUSES.join(", ")}`, oneOf(STATUSES), "pending")
    .action(async (options: { status: (typeof STATUSES)[number] }, command: Command) => {
      const context = commandContext(io, command);
      const admin = context.admin();
      const list = await admin.listApprovals(
        options.status === "all" ? {} : { status: options.status },
      );
      const nameOf = context.json ? idsOnly : await principalNames(admin, io.signal);
      context.printTable(list, approvalColumns(nameOf));
    });

  approvals
    .command("show")
    .description("Show one request: who asked, for what, and who approved so far.")
    .argument("<id>", "approval request id (apr_…)")
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const client = context.approvals();
      const approval = await client.getApproval(id);
      printApproval(
        context,
        approval,
        context.json ? idsOnly : await principalNames(client, io.signal),
      );
    });

  for (const decision of ["approve", "deny", "cancel"] as const) {
    approvals
      .command(decision)
      .description(DECISION_HELP[decision])
      .argument("<id>", "approval request id (apr_…)")
      .option("--comment <text>", "why (kept in the audit log)")
      .action(async (id: string, options: { comment?: string }, command: Command) => {
        const context = commandContext(io, command);
        // The requester may cancel its own request; approving and denying need an admin.
        const admin = decision === "cancel" ? context.approvals() : context.admin();
        const decide = { approve: admin.approve, deny: admin.deny, cancel: admin.cancel }[decision];
        const result = await decide.call(
          admin,
          id,
          options.comment === undefined ? {} : { comment: options.comment },
        );
        context.printDone(describeApproval(result), result);
      });
  }

  approvals
    .command("watch")
    .description(
      "Follow one request until it is decided, or (without an id) print new pending requests as they come.",
    )
    .argument("[id]", "approval request id (apr_…)")
    .option("--interval <seconds>", "how often to look for new requests", wholeNumber(1), 2)
    .action(async (id: string | undefined, options: { interval: number }, command: Command) => {
      const context = commandContext(io, command);
      if (id) await watchOne(context, id);
      else await watchPending(context, options.interval);
    });
}

const DECISION_HELP = {
  approve: "Approve a request (critical requests need a second admin, then the delay).",
  deny: "Deny a request: the token it belongs to stays unusable.",
  cancel: "Cancel a request, also during a critical request's delay.",
} as const;

function statusPaint(approval: ApprovalRequest): Paint | undefined {
  if (approval.status === "approved") return "green";
  if (approval.status === "pending") return "yellow";
  return approval.status === "denied" ? "red" : "dim";
}

function printApproval(context: CommandContext, approval: ApprovalRequest, nameOf: NameOf): void {
  context.printDetails(
    [
      ["id", approval.id],
      ["status", approval.status],
      ["tier", approval.tier],
      ["path", approval.path],
      ["scopes", approval.scopes],
      ["requested by", nameOf(approval.requestedBy)],
      ["requested at", approval.createdAt],
      ["expires at", approval.expiresAt],
      ["description", approval.description],
      [
        "approvals",
        approval.approvals.map(
          (entry) => `${nameOf(entry.by)}${entry.comment ? `: ${entry.comment}` : ""}`,
        ),
      ],
      ["required", approval.requiredApprovals],
      ["eligible at", approval.eligibleAt],
      ["decided at", approval.decidedAt],
    ],
    approval,
  );
}

/** Long-polls one request, printing each change, until it is no longer pending or the signal aborts. */
async function watchOne(context: CommandContext, id: string): Promise<void> {
  const admin = context.approvals();
  const signal = context.io.signal;
  let last = "";
  while (!signal?.aborted) {
    const approval = await admin
      .getApproval(id, { wait: 25, ...(signal && { signal }) })
      .catch(stopQuietlyOnAbort(signal));
    if (approval === undefined) return;
    const line = describeApproval(approval);
    if (line !== last) {
      context.printDone(line, approval);
      last = line;
    }
    if (approval.status !== "pending") return;
  }
}

/** Prints each new pending request once, until the signal aborts. */
async function watchPending(context: CommandContext, intervalSeconds: number): Promise<void> {
  const admin = context.admin();
  const seen = new Set<string>();
  const signal = context.io.signal;
  context.io.stderr.write("Watching for approval requests (Ctrl-C to stop)…\n");
  while (!signal?.aborted) {
    const pending = await admin
      .listApprovals({ status: "pending", ...(signal && { signal }) })
      .catch(stopQuietlyOnAbort(signal));
    if (pending === undefined) return;
    for (const approval of pending) {
      if (seen.has(approval.id)) continue;
      seen.add(approval.id);
      context.printDone(
        `${approval.id}  ${approval.tier ?? "-"}  ${approval.scopes.join(" ")}  requested by ${approval.requestedBy ?? "-"}`,
        approval,
      );
    }
    await sleep(intervalSeconds * 1000, signal);
  }
}
