import type { Server } from "node:net";

/** Bounds on a listening server's connections (see `ServerLimits`). */
export type ConnectionLimits = { max: number; perAddress: number };

/**
 * Closes a new connection at once when the server already holds `max` connections, or `perAddress`
 * from the same client address, so that slow or idle sockets from one client (or many) cannot
 * take every file descriptor. Counts are of this process's open sockets.
 */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.max;
  const open = new Map<string, number>();
  server.on("connection", (socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
