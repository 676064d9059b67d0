export { MasterKeyMismatchError } from "./bootstrap.js";
export { createServer, type VaultServer } from "./create-server.js";
export { MasterKeyError } from "./crypto/master-key.js";
export type { DatabaseConfig } from "./db/create-database.js";
export type {
  FirstStartCredentials,
  ServerConfig,
  ServerLimits,
  ServerLoggerSetting,
  TlsOptions,
} from "./server-config.js";
export {
  type RunningServer,
  StartServerError,
  type StartServerOptions,
  startServer,
} from "./start-server.js";
