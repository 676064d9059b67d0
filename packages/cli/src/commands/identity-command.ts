import { escapeUnsafeText } from "@agentsecretstore/protocol";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { type CommandContext, commandContext } from "../command-context.js";
import {
  CREDENTIAL_KINDS,
  CREDENTIAL_SOURCES,
  type ResolvedCredential,
} from "../credentials/resolve-credential.js";
import { describeFailure, ExitCode } from "../exit-codes.js";
import { PACKAGE_VERSION } from "../package-version.js";
import { getFromVault } from "../vault-api.js";

/** What `GET /v1/me` answers. */
type Me = {
  kind: string;
  id: string;
  name: string | null;
  tenant_id: string;
  tenant_name: string | null;
  is_operator: boolean;
  scopes: string[];
  expires_at: string | null;
  max_uses: number | null;
  uses_remaining: number | null;
  approval_status: string | null;
  approval_request_id: string | null;
  parent_token_id: string | null;
  issuer_type: string | null;
  issuer_id: string | null;
  issuer_name: string | null;
};

/** `ass whoami` and `ass status`: which credential a command would use, and whether the vault answers. */
export function registerIdentityCommands(program: Command, io: CliIo): void {
  program
    .command("whoami")
    .description(
      "Show the credential secret commands use (or the one --as picks): its kind, name, tenant, scopes, expiry and uses left.",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const credential = context.credential("secrets");
      const me = await fetchMe(context, credential);
      if (context.json) {
        context.printDone("", { credential: credentialJson(credential), ...me });
        return;
      }
      context.printDetails(meFields(context, credential, me), me);
    });

  program
    .command("status")
    .description(
      "Check the vault: its address, health and version, and which credential secret and admin commands use. Exits 1 when the vault answers but is not ready, saying why.",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = commandContext(io, command);
      const baseUrl = context.baseUrl();
      const started = Date.now();
      // 503 is the health answer too: "unavailable", with what is not ready.
      const health = await getFromVault(baseUrl, "/health", undefined, io.signal, [503]);
      const latencyMs = Date.now() - started;
      const set = CREDENTIAL_KINDS.filter((kind) => io.env[CREDENTIAL_SOURCES[kind].variable]);
      const secretsAs = set.length > 0 ? await identify(context, "secrets") : null;
      const adminAs = io.env.ASS_ADMIN_KEY ? await identify(context, "admin") : null;
      const data = {
        cli_version: PACKAGE_VERSION,
        base_url: baseUrl,
        health: { ...health, latency_ms: latencyMs },
        secrets_credential: secretsAs,
        admin_credential: adminAs,
      };
      const unready = notReady(health);
      if (context.json) {
        context.printDone("", data);
      } else {
        const version = typeof health.version === "string" ? `, server ${health.version}` : "";
        const state = context.out.paint(String(health.status), unready === "" ? "green" : "red");
        context.printDetails(
          [
            ["vault", `${baseUrl} (${state}${version}, ${latencyMs} ms)`],
            ["cli", PACKAGE_VERSION],
            ["secret commands as", describeIdentity(secretsAs)],
            ["admin commands as", describeIdentity(adminAs)],
          ],
          data,
        );
      }
      if (unready !== "")
        throw new CliError(`the vault is not ready: ${unready}.`, ExitCode.FAILURE);
    });
}

async function fetchMe(context: CommandContext, credential: ResolvedCredential): Promise<Me> {
  return (await getFromVault(context.baseUrl(), "/me", credential.value, context.io.signal)) as Me;
}

type Identity = { credential: ReturnType<typeof credentialJson> | null; me?: Me; error?: string };

/** Who a purpose's credential is, or why it does not work, without failing the whole status. */
async function identify(context: CommandContext, purpose: "secrets" | "admin"): Promise<Identity> {
  let credential: ResolvedCredential;
  try {
    credential = context.credential(purpose);
  } catch (error) {
    return { credential: null, error: describeFailure(error).message };
  }
  try {
    return { credential: credentialJson(credential), me: await fetchMe(context, credential) };
  } catch (error) {
    const failure = describeFailure(error, { credentialVariable: credential.variable });
    return { credential: credentialJson(credential), error: failure.message };
  }
}

function credentialJson(credential: ResolvedCredential) {
  return { variable: credential.variable, kind: credential.kind };
}

function describeIdentity(identity: Identity | null): string {
  if (identity === null) return "- (not set)";
  const variable = identity.credential?.variable ?? "-";
  if (identity.me === undefined) return `${variable}: ${identity.error ?? "unknown"}`;
  return `${variable} → ${nameAndId(identity.me.kind, identity.me.id, identity.me.name)}`;
}

function nameAndId(kind: string, id: string, name: string | null): string {
  return name === null ? `${kind} ${id}` : `${kind} ${id} (${escapeUnsafeText(name)})`;
}

function meFields(
  context: CommandContext,
  credential: ResolvedCredential,
  me: Me,
): [string, unknown][] {
  const label = CREDENTIAL_SOURCES[credential.kind].label;
  const fields: [string, unknown][] = [
    ["credential", `${credential.variable} (${label})`],
    ["kind", me.kind],
    ["id", me.name === null ? me.id : `${me.id} (${me.name})`],
    ["tenant", me.tenant_name === null ? me.tenant_id : `${me.tenant_id} (${me.tenant_name})`],
  ];
  if (me.kind === "admin") fields.push(["operator", me.is_operator ? "yes" : "no"]);
  else fields.push(["scopes", me.scopes]);
  if (me.kind === "token") {
    const issuer =
      me.issuer_name === null ? me.issuer_id : `${me.issuer_id} (root: ${me.issuer_name})`;
    fields.push(
      ["expires", me.expires_at === null ? null : new Date(me.expires_at)],
      ["uses left", me.uses_remaining ?? (me.max_uses === null ? "unlimited" : 0)],
      ["approval", approvalText(context, me)],
      ["issued by", `${me.issuer_type} ${issuer}`],
    );
  }
  return fields;
}

function approvalText(context: CommandContext, me: Me): string {
  if (me.approval_status === "pending") {
    return context.out.paint(`pending (${me.approval_request_id ?? "?"})`, "yellow");
  }
  if (me.approval_status === "denied") return context.out.paint("denied", "red");
  return me.approval_status ?? "-";
}

/** What a `/health` answer says is not ready ("" when it is): the database, the master key. */
function notReady(health: Record<string, unknown>): string {
  if (health.status === "ok") return "";
  const reasons = [
    health.database === "unavailable" && "its database does not answer",
    health.master_key === "missing" &&
      "this instance does not hold the vault's current master key (it missed a rotation: restart it with the current key)",
  ].filter((reason): reason is string => typeof reason === "string");
  return reasons.length > 0 ? reasons.join("; ") : `it answered status ${String(health.status)}`;
}
