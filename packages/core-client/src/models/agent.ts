/** An agent: a program that holds an agent key (`ass_live_…`) and mints scoped tokens. */
export interface Agent {
  /** Id of the agent, for `deleteAgent` and the audit log. Not a credential. */
  readonly agentId: string;
  readonly name: string;
  /** Free text, or `null`. */
  readonly description: string | null;
  /** The agent's ceiling: every token it mints must lie within these scopes. */
  readonly allowedScopes: readonly string[];
  /** When it was created, or `null` when the server did not say. */
  readonly createdAt: Date | null;
}
