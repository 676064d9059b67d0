import { CREDENTIAL_PREFIXES } from "@agentsecretstore/protocol";
import { CliError } from "../cli-error.js";
import { ExitCode } from "../exit-codes.js";

/** The three kinds of credential, in the order secret commands try them. */
export const CREDENTIAL_KINDS = ["token", "agent", "admin"] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** Where each kind comes from, and how its value starts. */
export const CREDENTIAL_SOURCES: Readonly<
  Record<CredentialKind, { variable: string; prefix: string; label: string }>
> = {
  token: { variable: "ASS_TOKEN", prefix: CREDENTIAL_PREFIXES.token, label: "scoped token" },
  agent: { variable: "ASS_AGENT_KEY", prefix: CREDENTIAL_PREFIXES.agent, label: "agent key" },
  admin: { variable: "ASS_ADMIN_KEY", prefix: CREDENTIAL_PREFIXES.admin, label: "admin key" },
};

/** A credential picked for a command: what it is, its value, and the variable it came from. */
export type ResolvedCredential = {
  readonly kind: CredentialKind;
  readonly value: string;
  readonly variable: string;
};

/**
 * What a command acts as:
 * - `secrets`: secrets, tokens and `run` — a token, else an agent key, else an admin key;
 * - `admin`: approvals decisions, audit, agents, admins — the admin key only;
 * - `approval`: looking at or cancelling one approval request — the admin key when set, else
 *   the requester's token or agent key.
 */
export type CredentialPurpose = "secrets" | "admin" | "approval";

const ORDER: Readonly<Record<CredentialPurpose, readonly CredentialKind[]>> = {
  secrets: ["token", "agent", "admin"],
  admin: ["admin"],
  approval: ["admin", "token", "agent"],
};

/**
 * THE credential precedence of every command (the help's "Credentials" section says it to
 * people). `as` (`--as`) picks one kind and fails when its variable is unset; an empty
 * variable counts as unset.
 */
export function resolveCredential(
  env: Readonly<Record<string, string | undefined>>,
  purpose: CredentialPurpose,
  as?: CredentialKind,
): ResolvedCredential {
  const allowed = ORDER[purpose];
  if (as !== undefined && !allowed.includes(as)) {
    throw new CliError(
      `this command needs an admin key; --as ${as} cannot be used with it.`,
      ExitCode.USAGE,
    );
  }
  for (const kind of as === undefined ? allowed : [as]) {
    const { variable, prefix, label } = CREDENTIAL_SOURCES[kind];
    const value = env[variable]?.trim();
    if (!value) continue;
    if (!value.startsWith(prefix)) {
      throw new CliError(
        `${variable} does not hold ${article(label)} ${label} (${prefix}…): check what was put in it.`,
        ExitCode.USAGE,
      );
    }
    return { kind, value, variable };
  }
  throw new CliError(missingMessage(purpose, as), ExitCode.UNAUTHORIZED);
}

function missingMessage(purpose: CredentialPurpose, as: CredentialKind | undefined): string {
  if (as !== undefined) return `--as ${as}: ${CREDENTIAL_SOURCES[as].variable} is not set.`;
  if (purpose === "admin") {
    return "this command needs an admin key: set ASS_ADMIN_KEY (printed by `ass server` on its first start).";
  }
  return "no credential: set ASS_TOKEN, ASS_AGENT_KEY or ASS_ADMIN_KEY (`ass server` prints the keys on its first start).";
}

function article(label: string): string {
  return /^[aeiou]/.test(label) ? "an" : "a";
}
