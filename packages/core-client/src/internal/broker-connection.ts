import { BROKER_ROUTE_NAME } from "@agentsecretstore/protocol";
import type { BrokerConnection } from "../models/broker-connection.js";
import { invalid } from "./option-checks.js";

/** `vault.broker(route)`: the route's URL below the vault's `baseUrl` and the credential header. */
export function brokerConnection(
  baseUrl: string,
  route: string,
  credential: string,
): BrokerConnection {
  if (!BROKER_ROUTE_NAME.test(route)) throw invalid("route", "must be a-z, 0-9, - and _");
  return {
    baseURL: `${baseUrl}/broker/${route}`,
    headers: { authorization: `Bearer ${credential}` },
  };
}
