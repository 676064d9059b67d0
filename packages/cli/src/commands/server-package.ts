/**
 * The server package, loaded when a server command runs: every other command starts without it
 * (Fastify, the database drivers and the console weigh about a second of start-up).
 */
export function serverPackage() {
  return import("@agentsecretstore/server");
}
