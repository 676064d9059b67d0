export type { BrokeredOpenAIOptions, BrokerSource } from "./brokered-openai.js";
export type { CreateAzureOpenAIOptions, CreateOpenAIOptions } from "./create-openai.js";
export { createAzureOpenAI, createOpenAI } from "./create-openai.js";
export type { CredentialSource, VaultKeyOptions } from "./key-provider.js";
export { openAIKeyProvider } from "./key-provider.js";
export type { FetchFunction, KeyHeader } from "./refresh-on-unauthorized.js";
export { refreshOnUnauthorized } from "./refresh-on-unauthorized.js";
