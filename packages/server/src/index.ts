export { createServer, type VaultServer } from "./create-server.js";
export type { DatabaseConfig } from "./db/create-database.js";
export type {
  FirstStartCredentials,
  ServerConfig,
  ServerLimits,
  ServerLoggerSetting,
  TlsOptions,
} from "./server-config.js";
