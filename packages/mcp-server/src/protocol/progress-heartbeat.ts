import type { ProgressToken } from "@modelcontextprotocol/sdk/types.js";

/** Sends one `notifications/progress` message for the request being handled. */
export type SendProgress = (notification: {
  method: "notifications/progress";
  params: { progressToken: ProgressToken; progress: number; message?: string };
}) => Promise<void>;

/** Options of {@link withProgressHeartbeat}. */
export interface ProgressHeartbeatOptions {
  /** The request's `_meta.progressToken`; without one nothing is sent (the client did not ask). */
  readonly progressToken: ProgressToken | undefined;
  readonly send: SendProgress;
  /** Time between two notifications, in ms. */
  readonly intervalMs: number;
  /** Text of each notification, given the seconds waited so far. */
  readonly describe: (elapsedSeconds: number) => string;
}

/**
 * Runs `work` and, while it is pending, sends a progress notification every `intervalMs` (MCP
 * clients reset their request timeout on progress, so a wait for a person's approval does not
 * time out). The progress count only grows; there is no total, since nobody knows when a
 * person will decide.
 */
export async function withProgressHeartbeat<T>(
  work: Promise<T>,
  options: ProgressHeartbeatOptions,
): Promise<T> {
  const { progressToken } = options;
  if (progressToken === undefined) return work;
  const started = Date.now();
  let progress = 0;
  const timer = setInterval(() => {
    progress += 1;
    const elapsedSeconds = Math.round((Date.now() - started) / 1000);
    // A notification that cannot be sent (the client went away) must not fail the work.
    options
      .send({
        method: "notifications/progress",
        params: { progressToken, progress, message: options.describe(elapsedSeconds) },
      })
      .catch(() => {});
  }, options.intervalMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
