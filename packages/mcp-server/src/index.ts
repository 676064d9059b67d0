// The public API of @agentsecretstore/mcp. The binary is `ass-mcp` (also `ass mcp`).

export type { DestinationConfig, McpConfigFile } from "./config/destinations-config.js";
export { createVaultMcp, type VaultMcp, type VaultMcpOptions } from "./create-vault-mcp.js";
export {
  type Caller,
  type CallerAuthenticator,
  ownTokenAuthenticator,
} from "./http/caller-authenticator.js";
export {
  type HttpMcpServerOptions,
  type RunningHttpMcpServer,
  startHttpMcpServer,
} from "./http/start-http-mcp-server.js";
export {
  createStderrLogger,
  type LogLevel,
  type McpLogger,
  type StderrLoggerOptions,
} from "./logging/stderr-logger.js";
export { McpConfigError } from "./mcp-config-error.js";
export type { McpIo } from "./mcp-io.js";
export type { McpSession, McpSessionFactory } from "./protocol/mcp-session.js";
export { mcpCommand, type RunMcpServerOptions, runMcpServer } from "./run-mcp-server.js";
export { type ServeStdioOptions, serveStdio } from "./stdio/serve-stdio.js";
export {
  CA_CERT_ENV,
  CaCertificateError,
  type ReexecProcess,
  reexecTrustingCaCertificate,
} from "./tls/trust-ca-certificate.js";
