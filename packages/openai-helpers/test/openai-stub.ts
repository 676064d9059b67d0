import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stub saw of one request. */
export type StubRequest = { method: string; url: string; headers: IncomingHttpHeaders };

/**
 * A local OpenAI-compatible server for tests: answers chat completions when the request
 * carries the accepted key (as a bearer token or Azure's `api-key`), 401 otherwise.
 */
export async function startOpenAIStub(acceptedKey: string) {
  const requests: StubRequest[] = [];
  const state = { acceptedKey };
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
      });
      const bearer = request.headers.authorization?.replace(/^Bearer\s+/, "");
      const presented = bearer ?? request.headers["api-key"];
      response.setHeader("content-type", "application/json");
      if (presented !== state.acceptedKey) {
        response.statusCode = 401;
        response.end(
          JSON.stringify({
            error: {
              message: "Incorrect API key provided.",
              type: "invalid_request_error",
              code: "invalid_api_key",
            },
          }),
        );
        return;
      }
      response.end(
        JSON.stringify({
          id: "chatcmpl-stub",
          object: "chat.completion",
          created: 0,
          model: "stub-model",
          choices: [
            {
              index: 0,
              finish_reason: "stop",
              message: { role: "assistant", content: "hello from the stub" },
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    /** Accept only this key from now on (what a rotation at the provider does). */
    acceptKey(key: string) {
      state.acceptedKey = key;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
