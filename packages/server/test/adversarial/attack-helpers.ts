import { expect } from "vitest";
import type { InjectedResponse } from "../../src/vault-server.js";
import { bearer, type TestServer } from "../helpers/test-server.js";

/** Obviously fake values: no real provider key looks like these. */
export const CANARY = "canary-value-7e41b0c2-adversarial";

/** Any request through `inject()` with a credential; `payload` may be a raw string. */
export async function send(
  server: TestServer,
  credential: string | null,
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE",
  url: string,
  options: {
    payload?: unknown;
    headers?: Record<string, string>;
    remoteAddress?: string;
  } = {},
): Promise<InjectedResponse> {
  return server.app.inject({
    method,
    url,
    headers: { ...(credential === null ? {} : bearer(credential)), ...options.headers },
    ...(options.payload === undefined
      ? {}
      : { payload: options.payload as string | Record<string, unknown> }),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  });
}

/** Asserts the API's error shape with `code` and returns the error body. */
export function expectError(
  response: InjectedResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json() as { error: Record<string, unknown> };
  expect(body.error.code).toBe(code);
  return body.error;
}

/** A 4xx with the error shape and a message, never a 5xx or a stack trace. */
export function expectClientError(response: InjectedResponse): void {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, response.body).toBeLessThan(500);
  const body = response.json() as { error: { code: string; message: string } };
  expect(typeof body.error.code).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
}
