import type { VaultContext } from "./vault-context.js";

/** How long the database may take to answer the readiness check, in milliseconds. */
const DATABASE_CHECK_TIMEOUT_MS = 2000;

/**
 * How long a read the database answered vouches for it, in milliseconds, counted from when that
 * read began: a load balancer probing every few seconds always gets a fresh answer, a benchmark
 * or a busy probe pays for one read a second instead of one per request.
 */
export const READINESS_FRESH_MS = 1000;

type Readiness = {
  /** The read under way, which checks arriving meanwhile share. */
  running: Promise<boolean> | undefined;
  /** When (a `performance.now()` time) the last read that the database answered began. */
  answeredReadBegan: number;
};

const states = new WeakMap<VaultContext, Readiness>();

/**
 * Whether the database answers a read within two seconds. `true` at once while a read that began
 * less than {@link READINESS_FRESH_MS} ago was answered; otherwise one read, which checks that
 * arrive while it runs share (a load balancer's probes, a benchmark's twenty connections). A
 * failed or slow read vouches for nothing: the next check reads again, so recovery shows at
 * once. `now` is a monotonic time in milliseconds (tests pass their own).
 */
export function databaseAnswers(
  context: VaultContext,
  now: number = performance.now(),
): true | Promise<boolean> {
  let state = states.get(context);
  if (state === undefined) {
    state = { running: undefined, answeredReadBegan: Number.NEGATIVE_INFINITY };
    states.set(context, state);
  }
  if (now - state.answeredReadBegan < READINESS_FRESH_MS) return true;
  if (state.running !== undefined) return state.running;
  const current = state;
  const check = readWithin(context, DATABASE_CHECK_TIMEOUT_MS).then((answered) => {
    current.running = undefined;
    if (answered) current.answeredReadBegan = Math.max(current.answeredReadBegan, now);
    return answered;
  });
  current.running = check;
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
