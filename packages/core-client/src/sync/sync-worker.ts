// The worker behind SyncAgentVault: runs a real AgentVault and answers one message per call.
// Started by sync-agent-vault.ts; never imported by anything else.
import { workerData } from "node:worker_threads";
import { AgentVault } from "../agent-vault.js";
import { importSecrets } from "../import-secrets.js";
import type { Logger } from "../logger.js";
import type { SecretMetadata } from "../models/secret-metadata.js";
import type { ImportSecretsOptions, WaitForApprovalOptions } from "../request-options.js";
import { waitForApproval } from "../wait-for-approval.js";
import { decodeResult, encodeError, encodeResult } from "./sync-codec.js";
import {
  DONE,
  OPTIONS_ARGUMENT,
  type SyncMethod,
  type WorkerInit,
  type WorkerLogLine,
  type WorkerReply,
  type WorkerRequest,
} from "./sync-protocol.js";

const init = workerData as WorkerInit;
const inFlight = new Map<number, AbortController>();

function reply(message: WorkerReply, state: SharedArrayBuffer): void {
  try {
    init.callPort.postMessage(message);
  } catch (error) {
    // A result or error field that cannot be cloned must still wake the caller with an answer.
    init.callPort.postMessage({ id: message.id, ok: false, error: encodeError(error) });
  }
  const cell = new Int32Array(state);
  Atomics.store(cell, 0, DONE);
  Atomics.notify(cell, 0);
}

function forwardingLogger(): Logger {
  const post =
    (level: WorkerLogLine["level"]) => (message: string, fields?: Record<string, unknown>) => {
      const line: WorkerLogLine =
        fields === undefined ? { level, message } : { level, message, fields };
      try {
        init.logPort.postMessage(line);
      } catch {
        init.logPort.postMessage({ level, message });
      }
    };
  return { debug: post("debug"), info: post("info"), warn: post("warn"), error: post("error") };
}

async function invoke(vault: AgentVault, method: SyncMethod, args: unknown[]): Promise<unknown> {
  switch (method) {
    case "getSecret":
      return vault.getSecret(...(args as Parameters<AgentVault["getSecret"]>));
    case "setSecret":
      return vault.setSecret(...(args as Parameters<AgentVault["setSecret"]>));
    case "listSecrets":
      return await vault.listSecrets(...(args as Parameters<AgentVault["listSecrets"]>));
    case "listAllSecrets": {
      const items: SecretMetadata[] = [];
      for await (const item of vault.listSecrets(
        ...(args as Parameters<AgentVault["listSecrets"]>),
      )) {
        items.push(item);
      }
      return items;
    }
    case "getMetadata":
      return vault.getMetadata(...(args as Parameters<AgentVault["getMetadata"]>));
    case "deleteSecret":
      return vault.deleteSecret(...(args as Parameters<AgentVault["deleteSecret"]>));
    case "rotateSecret":
      return vault.rotateSecret(...(args as Parameters<AgentVault["rotateSecret"]>));
    case "importSecrets":
      return importSecrets(vault, ...(args as [string, string, ImportSecretsOptions?]));
    case "requestToken":
      return vault.requestToken(...(args as Parameters<AgentVault["requestToken"]>));
    case "inspectToken":
      return vault.inspectToken(...(args as Parameters<AgentVault["inspectToken"]>));
    case "revokeToken":
      return vault.revokeToken(...(args as Parameters<AgentVault["revokeToken"]>));
    case "waitForApproval":
      return waitForApproval(vault, ...(args as [string, WaitForApprovalOptions?]));
  }
}

/** The call's arguments, with an abort signal added to its options so a cancel can stop it. */
function withSignal(
  method: SyncMethod,
  encoded: WorkerRequest & { type: "call" },
  signal: AbortSignal,
) {
  const args = encoded.args.map(decodeResult);
  const index = OPTIONS_ARGUMENT[method];
  while (args.length <= index) args.push(undefined);
  const options = args[index];
  args[index] = { ...(typeof options === "object" && options !== null ? options : {}), signal };
  return args;
}

function start(): void {
  let vault: AgentVault;
  try {
    vault = new AgentVault(
      init.forwardLogs ? { ...init.options, logger: forwardingLogger() } : init.options,
    );
  } catch (error) {
    reply({ id: 0, ok: false, error: encodeError(error) }, init.startState);
    return;
  }
  init.callPort.on("message", (request: WorkerRequest) => {
    if (request.type === "cancel") {
      inFlight.get(request.id)?.abort();
      return;
    }
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    Promise.resolve()
      .then(() =>
        invoke(vault, request.method, withSignal(request.method, request, controller.signal)),
      )
      .then(
        (result): WorkerReply => ({ id: request.id, ok: true, result: encodeResult(result) }),
        (error: unknown): WorkerReply => ({ id: request.id, ok: false, error: encodeError(error) }),
      )
      .then((message) => {
        inFlight.delete(request.id);
        reply(message, request.state);
      });
  });
  reply({ id: 0, ok: true, result: encodeResult(undefined) }, init.startState);
}

start();
