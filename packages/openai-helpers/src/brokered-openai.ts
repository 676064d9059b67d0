import type { AgentVault } from "@agentsecretstore/client";
import { OpenAI } from "openai";

type OpenAIOptions = NonNullable<ConstructorParameters<typeof OpenAI>[0]>;

/** The vault whose broker is called: an `AgentVault` (only its `broker()` is used). */
export type BrokerSource = Pick<AgentVault, "broker">;

/**
 * Options of {@link createOpenAI} through the vault's credential broker: the route's name, the
 * vault credential to call it with, and any `OpenAI` option except `apiKey` and `baseURL`.
 */
export type BrokeredOpenAIOptions = {
  /** The vault client whose broker route the calls go through (only its `broker()` is used). */
  vault: BrokerSource;
  /** The broker route's name, e.g. `"openai"` (the vault's `[[broker.routes]]`). */
  broker: string;
  /** The vault credential the calls carry: a token scoped `secrets:use:<the route's secret>`. */
  token: string;
  /**
   * The upstream path the SDK's calls go below.
   * @default "/v1"
   */
  basePath?: string | undefined;
} & Omit<OpenAIOptions, "apiKey" | "baseURL">;

/**
 * A real `OpenAI` client that calls through the vault's broker route: its "API key" is the vault
 * credential, which the vault removes before injecting the provider's key, so this process never
 * holds that key.
 */
export function brokeredOpenAI(options: BrokeredOpenAIOptions): OpenAI {
  const { vault, broker, token, basePath = "/v1", ...clientOptions } = options;
  if (typeof token !== "string" || token === "") {
    throw new TypeError("token: give the vault token the calls carry (scoped secrets:use:…)");
  }
  const { baseURL } = vault.broker(broker, { token });
  return new OpenAI({ ...clientOptions, baseURL: `${baseURL}${basePath}`, apiKey: token });
}
