import {
  INSPECT_CUSTOM,
  type InspectFunction,
  inspectRedacted,
  REDACTED,
} from "../internal/redact.js";
import type { Agent } from "./agent.js";

/** Fields of a {@link CreatedAgent}: the agent plus its key. */
export type CreatedAgentInit = Agent & { readonly apiKey: string };

/**
 * A newly created agent and its key (`ass_live_…`), which the vault shows only this once.
 * `String()`, `JSON.stringify()` and `util.inspect()` print `[REDACTED]` instead of the key;
 * only `.apiKey` reads it.
 *
 * @example
 * const agent = await admin.createAgent({ name: "summariser", allowedScopes: ["secrets:read:production/*"] });
 * storeSomewhereSafe(agent.apiKey); // hand it to the agent as ASS_AGENT_KEY
 */
export class CreatedAgent implements Agent {
  readonly agentId: string;
  readonly name: string;
  readonly description: string | null;
  readonly allowedScopes: readonly string[];
  readonly createdAt: Date | null;
  // A private field, so that spreading, Object.keys and structured logging never see it.
  readonly #apiKey: string;

  constructor(init: CreatedAgentInit) {
    this.agentId = init.agentId;
    this.name = init.name;
    this.description = init.description;
    this.allowedScopes = Object.freeze([...init.allowedScopes]);
    this.createdAt = init.createdAt;
    this.#apiKey = init.apiKey;
  }

  /** The agent key (`ass_live_…`): a credential. The only way to read it. */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** `CreatedAgent(<agentId>, <name>, apiKey [REDACTED])`; never the key. */
  toString(): string {
    return `CreatedAgent(${this.agentId}, ${this.name}, apiKey ${REDACTED})`;
  }

  /** Everything but the key, which is `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return {
      agentId: this.agentId,
      name: this.name,
      description: this.description,
      allowedScopes: this.allowedScopes,
      createdAt: this.createdAt,
      apiKey: REDACTED,
    };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    return inspectRedacted("CreatedAgent", this.toJSON(), this.toString(), options, inspect);
  }
}
