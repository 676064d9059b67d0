// What the vault rows read and write, made through the API before the load starts. Values are
// obviously fake; credentials stay in memory and are never printed.
import type { RequestShape } from "./measure-row.js";

/** The secret the read rows read (standard tier: no approval in the way). */
export const READ_PATH = "bench/read/api-key";
/** The secret the write row adds versions to. */
export const WRITE_PATH = "bench/write/api-key";
const FAKE_VALUE = "bench-value-not-a-real-credential-0123456789";
/** Far more uses than a run makes, so that the limited token never runs out. */
const MANY_USES = 1_000_000_000;

/** The credentials the rows use. */
export type VaultCredentials = {
  agentKey: string;
  unlimitedToken: string;
  limitedToken: string;
};

async function call(
  url: string,
  method: string,
  credential: string,
  body: unknown,
  expected: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (response.status !== expected) {
    const code = (parsed.error as { code?: string } | undefined)?.code ?? "";
    throw new Error(
      `seeding: ${method} ${new URL(url).pathname} answered ${response.status} ${code}`,
    );
  }
  return parsed;
}

async function mint(url: string, agentKey: string, maxUses: number | null): Promise<string> {
  const token = await call(
    `${url}/v1/tokens`,
    "POST",
    agentKey,
    { scope: "secrets:read:bench/read/*", ttl_seconds: 86_400, max_uses: maxUses },
    201,
  );
  if (token.approval_status !== "approved" || typeof token.token !== "string") {
    throw new Error(`seeding: a read token came back ${String(token.approval_status)}`);
  }
  return token.token;
}

/** Writes both secrets and mints the two read tokens (one unlimited, one with `max_uses`). */
export async function seedVault(url: string, agentKey: string): Promise<VaultCredentials> {
  await call(`${url}/v1/secrets/${READ_PATH}`, "PUT", agentKey, { value: FAKE_VALUE }, 201);
  await call(`${url}/v1/secrets/${WRITE_PATH}`, "PUT", agentKey, { value: FAKE_VALUE }, 201);
  return {
    agentKey,
    unlimitedToken: await mint(url, agentKey, null),
    limitedToken: await mint(url, agentKey, MANY_USES),
  };
}

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

/** A secret read with a credential. */
export function readShape(credential: string): RequestShape {
  return {
    method: "GET",
    path: `/v1/secrets/${READ_PATH}`,
    headers: bearer(credential),
    expectedStatus: 200,
  };
}

/** A token mint by the agent key (standard scope: approved at once). */
export function mintShape(agentKey: string): RequestShape {
  return {
    method: "POST",
    path: "/v1/tokens",
    headers: bearer(agentKey),
    body: { scope: "secrets:read:bench/read/*", ttl_seconds: 3600 },
    expectedStatus: 201,
  };
}

/** A write of a new version of an existing secret. */
export function writeShape(agentKey: string): RequestShape {
  return {
    method: "PUT",
    path: `/v1/secrets/${WRITE_PATH}`,
    headers: bearer(agentKey),
    body: { value: FAKE_VALUE },
    expectedStatus: 200,
  };
}
