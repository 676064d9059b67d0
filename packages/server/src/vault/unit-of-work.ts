import type { Stores } from "../store/stores.js";
import type { Actor } from "./actor.js";
import { retryApprovalRaces } from "./approval-decisions.js";
import { type AuditFacts, appendAudit } from "./audit-event.js";
import type { VaultContext } from "./vault-context.js";

/** One transaction as services see it: its stores, its audit log, and what to do after commit. */
export type UnitOfWork = {
  readonly stores: Stores;
  /** Appends an audit event by the actor, committed with the change it records. */
  audit(facts: AuditFacts): Promise<void>;
  /**
   * Runs `effect` once the transaction committed (wake long-polls, send webhooks, evict caches);
   * never for an attempt that rolled back or ran again.
   */
  afterCommit(effect: () => void): void;
};

/**
 * Runs `work` as one unit of work: all its writes and audit events commit together, then its
 * after-commit effects run, in order. When the transaction loses a race (another instance's
 * write, a racing approval decision) it runs again from the start with fresh effects, so `work`
 * must do nothing but database work and pure computation.
 */
export async function runUnitOfWork<T>(
  context: VaultContext,
  actor: Actor,
  work: (unit: UnitOfWork) => Promise<T>,
): Promise<T> {
  let effects: (() => void)[] = [];
  const result = await retryApprovalRaces(() =>
    context.data.transaction(async (stores) => {
      const attemptEffects: (() => void)[] = [];
      effects = attemptEffects;
      return work({
        stores,
        audit: (facts) => appendAudit(stores, context, actor.origin, actor.principal, facts),
        afterCommit: (effect) => attemptEffects.push(effect),
      });
    }),
  );
  for (const effect of effects) {
    try {
      effect();
    } catch (error) {
      // The change is committed; a failing announcement must not turn it into an error.
      context.log.warn({ err: error }, "An after-commit effect failed");
    }
  }
  return result;
}
