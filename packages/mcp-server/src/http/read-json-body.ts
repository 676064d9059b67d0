import type { IncomingMessage } from "node:http";

/** Why a request body could not be read. */
export type BodyProblem = "too_large" | "invalid_json";

/** The request's body parsed as JSON, or the problem with it. */
export async function readJsonBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<{ body: unknown } | { problem: BodyProblem }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) return { problem: "too_large" };
    chunks.push(chunk as Buffer);
  }
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { problem: "invalid_json" };
  }
}
