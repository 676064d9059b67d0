import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { importSecrets } from "../../src/import/index.js";
import { AgentVault, AgentVaultError } from "../../src/index.js";
import { AGENT_KEY, capturingLogger, ORIGIN } from "../support/vault-fixtures.js";

// Obviously fake values a careless or hostile server might echo back.
const VALUE = "canary-value-9a7b5c3d-sent-once";

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A vault that answers every request with `reply(sentValue)`; the value is what was sent. */
function vaultAnswering(reply: (echo: string) => Reply) {
  const logger = capturingLogger();
  const fetch = async () => {
    const answer = reply(VALUE);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  };
  const vault = new AgentVault({
    baseUrl: ORIGIN,
    agentKey: AGENT_KEY,
    env: {},
    retries: 0,
    fetch: fetch as typeof globalThis.fetch,
    logger,
  });
  return { vault, logger };
}

/** Every way an error reaches a log: message, stack, String, JSON, util.inspect with fields. */
function renderings(error: unknown): string[] {
  const failure = error as Error;
  return [
    failure.message,
    failure.stack ?? "",
    String(failure),
    JSON.stringify(failure),
    JSON.stringify({ ...failure }),
    inspect(failure, { depth: 10, showHidden: true }),
  ];
}

const hostileReplies: [string, (echo: string) => Reply][] = [
  [
    "the message",
    (echo) => ({ status: 400, body: { error: { code: "VALIDATION_ERROR", message: echo } } }),
  ],
  [
    "validation issues",
    (echo) => ({
      status: 400,
      body: {
        error: {
          code: "VALIDATION_ERROR",
          message: "bad",
          issues: [{ field: echo, message: echo }],
        },
      },
    }),
  ],
  ["the code", (echo) => ({ status: 400, body: { error: { code: echo, message: "bad" } } })],
  [
    "a not-found path",
    (echo) => ({
      status: 404,
      body: { error: { code: "SECRET_NOT_FOUND", message: "no", path: echo } },
    }),
  ],
  [
    "a permission path and required scope",
    (echo) => ({
      status: 403,
      body: { error: { code: "SCOPE_DENIED", message: "no", path: echo, required_scope: echo } },
    }),
  ],
  [
    "an approval request id",
    (echo) => ({
      status: 202,
      body: { error: { code: "APPROVAL_PENDING", message: "wait", approval_request_id: echo } },
    }),
  ],
  [
    "a conflict",
    (echo) => ({ status: 409, body: { error: { code: "CONFLICT", message: `exists: ${echo}` } } }),
  ],
  [
    "the x-request-id header",
    (echo) => ({
      status: 500,
      body: { error: { code: "INTERNAL", message: "boom" } },
      headers: { "x-request-id": echo },
    }),
  ],
  [
    "an unknown status",
    (echo) => ({ status: 418, body: { error: { code: "TEAPOT", message: echo } } }),
  ],
];

describe("a server that echoes what the client sent", () => {
  it.each(hostileReplies)(
    "cannot put the written value into the error via %s",
    async (_name, reply) => {
      const { vault, logger } = vaultAnswering(reply);
      const attempts = [
        () => vault.setSecret("app/key", VALUE),
        () => vault.rotateSecret("app/key", VALUE, { gracePeriodSeconds: 60 }),
        () => importSecrets(vault, "app", `KEY=${VALUE}\n`),
      ];
      for (const attempt of attempts) {
        const error = await attempt().then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(AgentVaultError);
        for (const text of renderings(error)) expect(text).not.toContain(VALUE);
      }
      expect(logger.lines()).not.toContain(VALUE);
    },
  );

  it.each(hostileReplies)(
    "cannot put the client's own key into the error via %s",
    async (_name, reply) => {
      const { vault, logger } = vaultAnswering(() => reply(AGENT_KEY));
      const error = await vault.getSecret("app/key").then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(AgentVaultError);
      for (const text of renderings(error)) expect(text).not.toContain(AGENT_KEY);
      expect(logger.lines()).not.toContain(AGENT_KEY);
    },
  );
});
