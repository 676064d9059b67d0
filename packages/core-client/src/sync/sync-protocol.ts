import type { MessagePort } from "node:worker_threads";
import type { AgentVaultOptions } from "../agent-vault-options.js";
import type { EncodedError, EncodedResult } from "./sync-codec.js";

// Messages between SyncAgentVault (the calling thread) and sync-worker.ts.
// Each call carries its own SharedArrayBuffer: the worker posts the reply on the call port
// first and then flips the buffer's first cell from PENDING to DONE and notifies, so the
// reply is already queued when the caller wakes up and reads it with receiveMessageOnPort.

/** Value of a call's (or the start-up) state cell while the worker is busy. */
export const PENDING = 0;
/** Value once the reply has been posted. */
export const DONE = 1;

/** The methods the worker runs, and which argument holds each one's options object. */
export const OPTIONS_ARGUMENT = {
  getSecret: 1,
  setSecret: 2,
  listSecrets: 1,
  listAllSecrets: 1,
  getMetadata: 1,
  deleteSecret: 1,
  rotateSecret: 2,
  importSecrets: 2,
  requestToken: 0,
  inspectToken: 0,
  revokeToken: 1,
  waitForApproval: 1,
} as const;

export type SyncMethod = keyof typeof OPTIONS_ARGUMENT;

/** What the worker is started with (`workerData`). */
export type WorkerInit = {
  /** The client's options, less what cannot cross threads (`fetch`, `logger`). */
  readonly options: Omit<AgentVaultOptions, "fetch" | "logger">;
  /** Whether to forward the client's log lines on `logPort`. */
  readonly forwardLogs: boolean;
  readonly callPort: MessagePort;
  readonly logPort: MessagePort;
  /** Set to DONE once the worker has created its client (or failed to). */
  readonly startState: SharedArrayBuffer;
};

/** Calling thread → worker. */
export type WorkerRequest =
  | {
      readonly type: "call";
      readonly id: number;
      readonly method: SyncMethod;
      readonly args: readonly EncodedResult[];
      readonly state: SharedArrayBuffer;
    }
  /** The caller gave up waiting for call `id`: abort it. */
  | { readonly type: "cancel"; readonly id: number };

/** Worker → calling thread. Id 0 is the start-up report. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: EncodedResult }
  | { readonly id: number; readonly ok: false; readonly error: EncodedError };

/** One forwarded log line. */
export type WorkerLogLine = {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields?: Record<string, unknown>;
};
