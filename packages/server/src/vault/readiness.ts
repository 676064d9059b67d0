import type { VaultContext } from "./vault-context.js";

/** How long the database may take to answer the readiness check, in milliseconds. */
const DATABASE_CHECK_TIMEOUT_MS = 2000;

const inFlight = new WeakMap<VaultContext, Promise<boolean>>();

/**
 * Whether the database answers a read within two seconds. Health checks that arrive while one
 * is running share its answer (a load balancer's probes, a benchmark's twenty connections): one
 * read at a time, and never an answer older than the read that gave it.
 */
export function databaseAnswers(context: VaultContext): Promise<boolean> {
  const running = inFlight.get(context);
  if (running !== undefined) return running;
  const check = readWithin(context, DATABASE_CHECK_TIMEOUT_MS).finally(() => {
    inFlight.delete(context);
  });
  inFlight.set(context, check);
  return check;
}

async function readWithin(context: VaultContext, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const read = context.data.audit.head("__health__").then(() => true);
    return await Promise.race([read, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
