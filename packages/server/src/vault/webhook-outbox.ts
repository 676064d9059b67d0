/** What services know of webhook delivery: whether the operator has one, and a nudge. */
export type WebhookOutbox = {
  /** Whether the operator configured a webhook (`approvals.webhook_url`) for tenants without one. */
  readonly operatorConfigured: boolean;
  /** After commit: tells this instance's deliverer that events are waiting. Never throws. */
  wake(): void;
  /** The delivery clock that schedules the outbox's rows (real time unless a test sets it). */
  now(): Date;
};

/** No deliverer (services' own tests): events are still written when a tenant has a webhook. */
export const NO_WEBHOOK_OUTBOX: WebhookOutbox = {
  operatorConfigured: false,
  wake() {},
  now: () => new Date(),
};
