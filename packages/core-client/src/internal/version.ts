/** Sent as `x-ass-client: ts/<version>`; keep in step with package.json. */
export const CLIENT_VERSION = "0.1.0";
