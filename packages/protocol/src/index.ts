export type { ApprovalStatus, TokenApprovalStatus } from "./approval-status.js";
export {
  APPROVAL_STATUSES,
  isApprovalStatus,
  TOKEN_APPROVAL_STATUSES,
} from "./approval-status.js";
export { BROKER_ROUTE_NAME } from "./broker-route-name.js";
export type { CredentialKind } from "./credential-format.js";
export {
  CREDENTIAL_PREFIXES,
  credentialKindByPrefix,
  credentialPattern,
  looksLikeCredential,
  maskCredentials,
} from "./credential-format.js";
export type { DestinationBinding } from "./destination-binding.js";
export {
  checkDestinationBinding,
  describeDestinations,
  destinationAllowed,
  MAX_DESTINATIONS,
  pathUnderPrefix,
} from "./destination-binding.js";
export type { DotenvEntry, DotenvIssue } from "./dotenv.js";
export { parseDotenv } from "./dotenv.js";
export type { ErrorCode } from "./error-code.js";
export { ERROR_CODES, ERROR_STATUS, isErrorCode } from "./error-code.js";
export { MAX_PATH_LENGTH, MAX_SEGMENT_LENGTH, MAX_SEGMENTS } from "./path-segments.js";
export type { Scope, ScopeAction } from "./scope.js";
export {
  fromHostedScope,
  mayReadBelow,
  NAMESPACES_READ,
  parseScope,
  patternCovers,
  requiredScope,
  SCOPE_ACTIONS,
  scopeAllows,
  scopeCovers,
  scopesAllow,
  scopesListNamespaces,
  scopesWithin,
  scopeWithin,
} from "./scope.js";
export type { SecretPath } from "./secret-path.js";
export { checkNamespace, checkSecretPath, decodePathParam } from "./secret-path.js";
export type { SecretType } from "./secret-type.js";
export { isSecretType, SECRET_TYPES } from "./secret-type.js";
export type { Tier } from "./tier.js";
export { highestTier, isTier, TIERS, tierAllows, tierRank } from "./tier.js";
export { escapeUnsafeText, findUnsafeCharacter, UNSAFE_TEXT_PATTERN } from "./unsafe-text.js";
export type { WireFieldAlias, WireNames, WireObjectName } from "./wire-aliases.js";
export {
  ALLOWED_IPS_NAMES,
  APPROVAL_REQUEST_ID_NAMES,
  ROTATION_EXPIRES_AT_NAMES,
  SECRET_TYPE_NAMES,
  TAGS_NAMES,
  TIER_NAMES,
  TOKEN_VALUE_NAMES,
  WIRE_FIELD_ALIASES,
  wireNames,
} from "./wire-aliases.js";
