import type { Secret } from "@agentsecretstore/client";
import {
  type DestinationBinding,
  describeDestinations,
  destinationAllowed,
} from "@agentsecretstore/protocol";

/** The client's `allowedDestinations` in the protocol's shape. */
function bindingsOf(secret: Pick<Secret, "allowedDestinations">): DestinationBinding[] | null {
  // A client older than bindings (or a test double) has no such field: no binding.
  const destinations = secret.allowedDestinations ?? null;
  if (destinations === null) return null;
  return destinations.map((destination) =>
    destination.pathPrefixes === null
      ? { origin: destination.origin }
      : { origin: destination.origin, path_prefixes: [...destination.pathPrefixes] },
  );
}

/**
 * Why the secret itself forbids sending its value to `url`, or `undefined` when it may go: the
 * secret's own `allowedDestinations` (set in the vault by whoever may write it) must admit the
 * URL too, so the narrower of the developer's list and the secret's binding wins; and a secret
 * whose calls each need a person's approval (`approval: "per_call"`) goes only through a broker
 * route, where the vault asks for that approval.
 */
export function secretBindingRefusal(
  secret: Pick<Secret, "path" | "allowedDestinations" | "approval">,
  url: URL,
): string | undefined {
  if (secret.approval === "per_call") {
    return `Every call with ${secret.path} needs a person's approval of that call, which only the vault's credential broker asks for; this destination does not go through a broker route. Tell the user.`;
  }
  const bindings = bindingsOf(secret);
  if (destinationAllowed(bindings, url)) return undefined;
  return `The secret ${secret.path} may not be sent to ${url.origin}${url.pathname}: the vault binds it to ${describeDestinations(bindings) || "no destination"}.`;
}
