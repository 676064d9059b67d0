// The public API of @agentsecretstore/client/import: importing `.env` text into a namespace.
// Its own entry point, so that agents that only read and write secrets do not ship it.

export { importSecrets } from "../import-secrets.js";
export type { ImportResult } from "../models/import-result.js";
export type { ImportSecretsOptions } from "../request-options.js";
