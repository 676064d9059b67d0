import { type StubApi, type StubRequest, type StubResponse, startStubApi } from "./stub-api.js";

/** A local OpenAI-compatible API (see {@link startOpenAIStub}). */
export type OpenAIStub = StubApi & {
  /** What to pass as the OpenAI client's `baseURL`: `<origin>/v1`. */
  baseURL: string;
};

type ChatRequest = { model?: string; messages?: { role?: string; content?: unknown }[] };

/**
 * A loopback stand-in for the OpenAI API: `POST /v1/chat/completions` answers with a short
 * reply about the last user message, `GET /v1/models` lists one model, and both answer 401 in
 * OpenAI's error shape unless the request carries an accepted key as a bearer token.
 *
 * @example
 * await using openaiStub = await startOpenAIStub({ "key v1": "fake-openai-key-1" });
 * const openai = createOpenAI({ vault, path, baseURL: openaiStub.baseURL });
 */
export async function startOpenAIStub(keys: Record<string, string>): Promise<OpenAIStub> {
  const stub = await startStubApi({
    keys,
    route: answer,
    unauthorizedBody: {
      error: {
        message: "Incorrect API key provided.",
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    },
  });
  return Object.assign(stub, { baseURL: `${stub.origin}/v1` });
}

function answer(request: StubRequest): StubResponse | undefined {
  if (request.method === "GET" && request.path === "/v1/models") {
    return {
      body: { object: "list", data: [{ id: "stub-model", object: "model", owned_by: "stub" }] },
    };
  }
  if (request.method !== "POST" || request.path !== "/v1/chat/completions") return undefined;
  const chat = JSON.parse(request.body || "{}") as ChatRequest;
  const lastUser = chat.messages?.findLast((message) => message.role === "user");
  const question = typeof lastUser?.content === "string" ? lastUser.content : "your message";
  return {
    body: {
      id: `chatcmpl-stub-${Date.now()}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: chat.model ?? "stub-model",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: { role: "assistant", content: `(stub) ${wordCount(question)}-word answer.` },
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
