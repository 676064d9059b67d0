import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  internalError,
  payloadTooLarge,
  type ValidationIssue,
  VaultError,
  validationError,
} from "../vault/vault-error.js";
import { statusOf } from "./error-status.js";

/**
 * Fixed messages for the framework's own 4xx errors. Parser messages are never passed on:
 * a JSON syntax error message can quote the body, and the body may hold a secret value.
 */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "The body is not valid JSON; send a JSON object",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "Unsupported Content-Type; send application/json",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "Content-Length does not match the body",
  FST_ERR_BAD_URL: "The URL is malformed (bad percent-encoding?)",
  FST_ERR_MAX_PARAM_LENGTH: "A URL parameter is too long",
};

type SchemaIssue = {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
};

function issuesFrom(
  validation: readonly SchemaIssue[],
  context: string | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of validation) {
    const path = (issue.instancePath ?? "").split("/").filter(Boolean).join(".");
    const unknownKeys = issue.params?.keys;
    if (Array.isArray(unknownKeys) && unknownKeys.length > 0) {
      for (const key of unknownKeys) {
        const field = [path, String(key)].filter(Boolean).join(".");
        issues.push({ field, message: "unknown field; check its spelling against the API" });
      }
      continue;
    }
    // No body at all (an empty one counts as none) where the route needs one.
    const missing = path === "" && /received (null|undefined)$/.test(issue.message ?? "");
    issues.push({
      field: path || context || "body",
      message: missing ? "is required: send a JSON object" : (issue.message ?? "is invalid"),
    });
  }
  return issues;
}

/** Turns any error into docs/protocol.md's error shape; 5xx bodies never carry anything internal. */
export function toApiError(error: unknown, bodyLimit: number): VaultError {
  if (error instanceof VaultError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: SchemaIssue[] };
  if (Array.isArray(fastifyError.validation)) {
    return validationError(issuesFrom(fastifyError.validation, fastifyError.validationContext));
  }
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE") return payloadTooLarge(bodyLimit);
  const statusCode = fastifyError.statusCode ?? 500;
  if (statusCode >= 400 && statusCode < 500) {
    const message =
      (fastifyError.code && FRAMEWORK_MESSAGES[fastifyError.code]) ?? "The request is malformed";
    return validationError([{ field: "request", message }], message);
  }
  return internalError();
}

export function sendApiError(reply: FastifyReply, error: VaultError): FastifyReply {
  return reply.status(statusOf(error)).send(error.toBody());
}

/** Installs the error and not-found handlers on the app. */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error, bodyLimit);
    if (statusOf(apiError) >= 500) {
      request.log.error({ err: error }, "request failed");
    }
    return sendApiError(reply, apiError);
  });
  app.setNotFoundHandler((_request, reply) =>
    sendApiError(
      reply,
      new VaultError("NOT_FOUND", "No such endpoint; see GET /v1/openapi.json for the API"),
    ),
  );
}
