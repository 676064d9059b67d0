import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the stub received. */
export interface StubRequest {
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A local OpenAI-compatible chat completions endpoint on 127.0.0.1, for tests only. */
export interface OpenAIStub {
  /** Pass as `configuration: { baseURL }` to ChatOpenAI. */
  readonly baseURL: string;
  readonly requests: StubRequest[];
  /** Keys that get a 200; any other bearer key gets a 401. */
  acceptedKeys: Set<string>;
  /** What the next completions answer with (defaults to a fixed text). */
  reply: (body: Record<string, unknown>) => { content?: string; toolCalls?: StubToolCall[] };
  close(): Promise<void>;
}

export interface StubToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/** Starts the stub; the caller closes it. */
export async function startOpenAIStub(acceptedKeys: string[]): Promise<OpenAIStub> {
  const stub: Omit<OpenAIStub, "baseURL" | "close"> = {
    requests: [],
    acceptedKeys: new Set(acceptedKeys),
    reply: () => ({ content: "reply from the stub" }),
  };
  const server: Server = createServer((request, response) => {
    readJson(request).then((body) => {
      const authorization = request.headers.authorization;
      stub.requests.push({ authorization, body });
      const key = authorization?.replace(/^Bearer\s+/i, "") ?? "";
      response.setHeader("content-type", "application/json");
      if (!stub.acceptedKeys.has(key)) {
        response.statusCode = 401;
        response.end(
          JSON.stringify({
            error: {
              message: "Incorrect API key provided",
              type: "invalid_request_error",
              code: "invalid_api_key",
            },
          }),
        );
        return;
      }
      const { content = "", toolCalls = [] } = stub.reply(body);
      const message = {
        role: "assistant",
        content,
        ...(toolCalls.length > 0 && {
          tool_calls: toolCalls.map((call, index) => ({
            id: `call_${index}`,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        }),
      };
      if (body.stream === true) {
        response.setHeader("content-type", "text/event-stream");
        const chunk = (delta: Record<string, unknown>, finish: string | null) =>
          `data: ${JSON.stringify({
            id: "chatcmpl-stub",
            object: "chat.completion.chunk",
            created: 0,
            model: String(body.model),
            choices: [{ index: 0, delta, finish_reason: finish }],
          })}\n\n`;
        for (const word of content.split(/(?<= )/)) response.write(chunk({ content: word }, null));
        response.write(chunk({}, "stop"));
        response.end("data: [DONE]\n\n");
        return;
      }
      response.end(
        JSON.stringify({
          id: "chatcmpl-stub",
          object: "chat.completion",
          created: 0,
          model: String(body.model),
          choices: [
            { index: 0, message, finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop" },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}
