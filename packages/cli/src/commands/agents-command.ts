import type { Admin, Agent, RotatedKey } from "@agentsecretstore/client/admin";
import { escapeUnsafeText } from "@agentsecretstore/protocol";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import { confirm } from "../output/confirm.js";
import type { Column } from "../output/format-table.js";
import { collect } from "../parse-options.js";
import { withSecondAdmin } from "./second-admin.js";

const AGENT_COLUMNS: readonly Column<Agent>[] = [
  { header: "id", value: (agent) => agent.agentId },
  { header: "name", value: (agent) => agent.name },
  { header: "allowed scopes", value: (agent) => agent.allowedScopes },
  { header: "created", value: (agent) => agent.createdAt },
  { header: "description", value: (agent) => agent.description },
];

const ADMIN_COLUMNS: readonly Column<Admin>[] = [
  { header: "id", value: (admin) => admin.adminId },
  { header: "name", value: (admin) => admin.name },
  { header: "operator", value: (admin) => (admin.isOperator ? "yes" : "") },
  { header: "created", value: (admin) => admin.createdAt },
];

/** Prints a rotated key once: JSON with `--json`, else the dotenv line on standard output. */
function printRotatedKey(
  io: CliIo,
  context: ReturnType<typeof commandContext>,
  kind: "agent" | "admin",
  rotated: RotatedKey,
): void {
  if (context.json) {
    context.printDone("", { ...rotated.toJSON(), apiKey: rotated.apiKey });
    return;
  }
  const tokens =
    rotated.revokedTokens > 0 ? `; ${rotated.revokedTokens} tokens revoked` : "; its tokens stay";
  io.stderr.write(
    `New key for ${kind} ${rotated.id}, shown only now; the old one no longer works${tokens}.\n`,
  );
  io.stdout.write(`${kind === "agent" ? "ASS_AGENT_KEY" : "ASS_ADMIN_KEY"}=${rotated.apiKey}\n`);
}

/**
 * `ass agents create|list|rotate-key|delete` and `ass admins create|list|rotate-key|make-operator|delete`
 * (admin key).
 */
export function registerAgentsCommand(program: Command, io: CliIo): void {
  const agents = program
    .command("agents")
    .description(
      "Create, list and delete agents: each has a key and a ceiling of allowed scopes (admin key).",
    );

  agents
    .command("create")
    .description("Create an agent; prints its key once, as ASS_AGENT_KEY=… on standard output.")
    .argument("<name>", "a name people will recognise, e.g. nightly-batch")
    .requiredOption(
      "--scope <scope>",
      "an allowed scope, e.g. secrets:read:production/* (repeatable)",
      collect,
    )
    .option("--description <text>", "what the agent does")
    .action(
      async (
        name: string,
        options: { scope: string[]; description?: string },
        command: Command,
      ) => {
        const context = commandContext(io, command);
        const agent = await context.admin().createAgent({
          name,
          allowedScopes: options.scope,
          ...(options.description !== undefined && { description: options.description }),
        });
        if (context.json) {
          context.printDone("", { ...agent.toJSON(), apiKey: agent.apiKey });
          return;
        }
        io.stderr.write(
          `Agent ${agent.agentId} (${escapeUnsafeText(agent.name)}) created; its key is shown only now.\n`,
        );
        io.stdout.write(`ASS_AGENT_KEY=${agent.apiKey}\n`);
      },
    );

  agents
    .command("list")
    .alias("ls")
    .description("List agents.")
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      context.printTable(await context.admin().listAgents(), AGENT_COLUMNS);
    });

  agents
    .command("delete")
    .alias("revoke")
    .description(
      "Delete an agent: its key and every token it minted stop working at once (asks first on a terminal).",
    )
    .argument("<id>", "agent id (agt_…)")
    .option("-y, --yes", "do not ask")
    .option("-f, --force", "same as --yes")
    .action(async (id: string, options: { yes?: boolean; force?: boolean }, command: Command) => {
      await confirm(io, `Delete agent ${id}? Its key and every token it minted stop working.`, {
        yes: options.yes === true || options.force === true,
        refusal: `deleting ${id} revokes its key and tokens`,
      });
      const context = commandContext(io, command);
      await context.admin().deleteAgent(id);
      context.printDone(`Deleted agent ${id}; its key and tokens are revoked.`, {
        agentId: id,
        deleted: true,
      });
    });

  agents
    .command("rotate-key")
    .description(
      "Give an agent a new key; prints it once, as ASS_AGENT_KEY=…. The old key stops working at once; its tokens stay unless --revoke-tokens.",
    )
    .argument("<id>", "agent id (agt_…)")
    .option("--revoke-tokens", "also revoke every token the old key minted")
    .action(async (id: string, options: { revokeTokens?: boolean }, command: Command) => {
      const context = commandContext(io, command);
      const rotated = await context
        .admin()
        .rotateAgentKey(id, { revokeTokens: options.revokeTokens === true });
      printRotatedKey(io, context, "agent", rotated);
    });

  const admins = program
    .command("admins")
    .description("Create, list and delete admin keys: each is a named approver (admin key).");

  admins
    .command("create")
    .description(
      "Create a named admin (an approver); prints its key once, as ASS_ADMIN_KEY=…. From two admins on, a second admin approves first: the command prints the request id; run it again once approved.",
    )
    .argument("<name>", "the person's name")
    .action(async (name: string, _options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const admin = await withSecondAdmin(
        `Creating the admin "${escapeUnsafeText(name)}"`,
        "ass admins create <name>",
        () => context.admin().createAdmin({ name }),
      );
      if (context.json) {
        context.printDone("", { ...admin.toJSON(), apiKey: admin.apiKey });
        return;
      }
      io.stderr.write(
        `Admin ${admin.adminId} (${escapeUnsafeText(admin.name)}) created; the key is shown only now.\n`,
      );
      io.stdout.write(`ASS_ADMIN_KEY=${admin.apiKey}\n`);
    });

  admins
    .command("list")
    .alias("ls")
    .description("List admins.")
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      context.printTable(await context.admin().listAdmins(), ADMIN_COLUMNS);
    });

  admins
    .command("rotate-key")
    .description(
      "Give your own admin key a new value; prints it once, as ASS_ADMIN_KEY=…. The old key stops working at once: use the new one from now on. Its tokens stay unless --revoke-tokens.",
    )
    .argument("<id>", "your admin id (ass whoami)")
    .option("--revoke-tokens", "also revoke every token the old key minted")
    .action(async (id: string, options: { revokeTokens?: boolean }, command: Command) => {
      const context = commandContext(io, command);
      const rotated = await context
        .admin()
        .rotateAdminKey(id, { revokeTokens: options.revokeTokens === true });
      printRotatedKey(io, context, "admin", rotated);
    });

  admins
    .command("make-operator")
    .description(
      "Hand the operator role to another admin (the operator's key only); you become a plain admin.",
    )
    .argument("<id>", "the admin id that becomes the operator")
    .option("-y, --yes", "do not ask")
    .action(async (id: string, options: { yes?: boolean }, command: Command) => {
      await confirm(io, `Make admin ${id} the operator? Your key stops being the operator's.`, {
        yes: options.yes,
        refusal: `handing the operator role to ${id} cannot be undone by you`,
      });
      const context = commandContext(io, command);
      await context.admin().makeOperator(id);
      context.printDone(`Admin ${id} is the operator now.`, { adminId: id, operator: true });
    });

  admins
    .command("delete")
    .description(
      "Delete an admin key. From two admins on, a second admin approves first: the command prints the request id; run it again once approved.",
    )
    .argument("<id>", "admin id")
    .option("-y, --yes", "do not ask")
    .action(async (id: string, options: { yes?: boolean }, command: Command) => {
      await confirm(io, `Delete admin ${id}? Their key stops working.`, {
        yes: options.yes,
        refusal: `deleting admin ${id} revokes their key`,
      });
      const context = commandContext(io, command);
      await withSecondAdmin(
        `Deleting the admin ${escapeUnsafeText(id)}`,
        `ass admins delete ${escapeUnsafeText(id)}`,
        () => context.admin().deleteAdmin(id),
      );
      context.printDone(`Deleted admin ${id}.`, { adminId: id, deleted: true });
    });
}
