import type { BrokerRoute } from "@agentsecretstore/server";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";

/**
 * A vault server on a free loopback port in a temporary folder, removed again by `close()`
 * (the workspace's test kit: its `server`, `baseUrl`, first-start `adminKey` and `agentKey`).
 */
export type LocalVault = RunningVault;

/** Options of {@link startLocalVault}. */
export type LocalVaultOptions = {
  /**
   * How long a critical approval waits after its second approval, in seconds. Examples
   * shorten it so that they finish in seconds.
   * @default 300 (the server's default)
   */
  criticalDelaySeconds?: number;
  /**
   * Credential broker routes (`[[broker.routes]]` in a configuration file).
   * @default none
   */
  brokerRoutes?: BrokerRoute[];
};

/** Starts the embedded vault server the way `ass server` does, for examples and the demo. */
export async function startLocalVault(options: LocalVaultOptions = {}): Promise<LocalVault> {
  const { criticalDelaySeconds, brokerRoutes } = options;
  return startVault({
    prefix: "ass-example-",
    server: {
      ...(criticalDelaySeconds === undefined ? {} : { approvals: { criticalDelaySeconds } }),
      ...(brokerRoutes === undefined ? {} : { broker: { routes: brokerRoutes } }),
    },
  });
}
