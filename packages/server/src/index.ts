export { type DotenvEntry, type DotenvIssue, parseDotenv } from "@agentsecretstore/protocol";
export {
  type ApprovalChange,
  type ApprovalChangeListener,
  type ApprovalEvents,
  createInProcessApprovalEvents,
} from "./approvals/approval-events.js";
export type { ApprovalStatus, ApprovalTier } from "./approvals/approval-policy.js";
export {
  type ApprovalEventsLogger,
  approvalChannelFor,
  createPostgresApprovalEvents,
  type PostgresApprovalEvents,
  type PostgresApprovalEventsOptions,
} from "./approvals/postgres-approval-events.js";
export type {
  WebhookApproval,
  WebhookBody,
  WebhookEventType,
} from "./approvals/webhook-event.js";
export {
  signWebhookPayload,
  type VerifyWebhookSignatureOptions,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
} from "./approvals/webhook-signature.js";
export {
  BackupError,
  backupSqlite,
  type RestoreSqliteOptions,
  restoreSqlite,
  type SqliteBackupResult,
  type SqliteRestoreResult,
} from "./backup/sqlite-backup.js";
export { MasterKeyMismatchError } from "./bootstrap.js";
export type { BrokerRoute } from "./broker/broker-route.js";
export {
  ConfigError,
  type ConfigSource,
  describeSource,
} from "./config/config-source.js";
export {
  type EffectiveConfig,
  type FlagValue,
  type LoadServerConfigInput,
  loadServerConfig,
} from "./config/load-server-config.js";
export { formatOptionsTable } from "./config/options-table.js";
export { formatEffectiveConfig } from "./config/print-config.js";
export {
  LOG_LEVELS,
  type OptionKind,
  SERVER_OPTIONS,
  type ServerOption,
  type ServerOptionKey,
  type ServerOptionValues,
} from "./config/server-options.js";
export {
  type LogDestination,
  startOptionsFromConfig,
} from "./config/start-options-from-config.js";
export type { ConsoleSettings } from "./console/console-settings.js";
export { createServer } from "./create-server.js";
export { MasterKeyError } from "./crypto/master-key.js";
export type {
  DatabaseConfig,
  PostgresDatabaseConfig,
  SqliteDatabaseConfig,
} from "./db/create-database.js";
export { DatabaseConfigError } from "./db/postgres-database.js";
export { formatFirstStartKeys, KeysFileExistsError } from "./first-start.js";
export type { RateLimitRule } from "./rate-limit/rate-limiters.js";
export {
  RecoverAdminError,
  type RecoverAdminOptions,
  type RecoveredAdmin,
  recoverAdmin,
} from "./recover-admin.js";
export {
  type MasterKeyRotation,
  RotateMasterKeyError,
  type RotateMasterKeyOptions,
  rotateMasterKey,
} from "./rotate-master-key.js";
export type {
  ApprovalSettings,
  BrokerSettings,
  FirstStartCredentials,
  MetricsSettings,
  RateLimitSettings,
  ServerConfig,
  ServerLimits,
  ServerLoggerSetting,
  TlsOptions,
  WebhookDeliverySettings,
  WebhookSettings,
} from "./server-config.js";
export {
  type RunningServer,
  StartServerError,
  type StartServerOptions,
  startServer,
} from "./start-server.js";
export type { InjectedResponse, InjectRequest, VaultServer } from "./vault-server.js";
