import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandContext } from "../command-context.js";
import { confirm } from "../output/confirm.js";
import { readSecretValue } from "../read-secret-value.js";
import { callVault } from "../vault-api.js";

/** `GET /v1/webhook` as the server answers it. */
type WebhookBody = {
  url: string | null;
  secret_set: boolean;
  uses_operator_webhook: boolean;
  updated_at: string | null;
  events: { pending: number; delivered: number; failed: number };
};

function printWebhook(context: ReturnType<typeof commandContext>, body: WebhookBody): void {
  const receiver =
    body.url ??
    (body.uses_operator_webhook ? "(none: the operator's webhook gets the events)" : "(none)");
  context.printDetails(
    [
      ["url", receiver],
      ["secret", body.secret_set ? "set (never shown)" : "not set"],
      ["updated", body.updated_at],
      [
        "events",
        `${body.events.pending} pending, ${body.events.delivered} delivered, ${body.events.failed} failed`,
      ],
    ],
    body,
  );
}

/** `ass webhook set|show|delete`: the tenant's own webhook for approval events (admin key). */
export function registerWebhookCommand(program: Command, io: CliIo): void {
  const webhook = program
    .command("webhook")
    .description(
      "Set, show or delete your tenant's webhook for approval events (admin key); without one, the operator's webhook gets them.",
    );

  webhook
    .command("set")
    .description(
      "Send the tenant's approval events to <url>, signed with a secret read from standard input (or --secret-file), never from the command line.",
    )
    .argument("<url>", "the receiver, an http(s) URL, e.g. https://hooks.example.com/ass")
    .option("--secret-file <file>", "read the signing secret from a file")
    .action(async (url: string, options: { secretFile?: string }, command: Command) => {
      const context = commandContext(io, command);
      const credential = context.credential("admin");
      const secret = await readSecretValue(io, {
        fromFile: options.secretFile,
        prompt: "Webhook signing secret (16 characters or more): ",
      });
      const body = (await callVault(
        context.baseUrl(),
        "PUT",
        "/webhook",
        credential.value,
        { url, secret },
        io.signal,
      )) as WebhookBody;
      printWebhook(context, body);
    });

  webhook
    .command("show")
    .description(
      "Show the tenant's webhook: its URL, whether a secret is set, its events by state.",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const credential = context.credential("admin");
      const body = (await callVault(
        context.baseUrl(),
        "GET",
        "/webhook",
        credential.value,
        undefined,
        io.signal,
      )) as WebhookBody;
      printWebhook(context, body);
    });

  webhook
    .command("delete")
    .description("Remove the tenant's webhook; its events go to the operator's webhook again.")
    .option("-y, --yes", "do not ask")
    .action(async (options: { yes?: boolean }, command: Command) => {
      await confirm(io, "Delete the tenant's webhook? Its receiver gets no more events.", {
        yes: options.yes,
        refusal: "deleting the webhook stops its deliveries",
      });
      const context = commandContext(io, command);
      const credential = context.credential("admin");
      await callVault(
        context.baseUrl(),
        "DELETE",
        "/webhook",
        credential.value,
        undefined,
        io.signal,
      );
      context.printDone("Deleted the tenant's webhook.", { deleted: true });
    });
}
