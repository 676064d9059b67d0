import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

/** One static file of the console, held in memory. */
export type ConsoleAsset = { body: Buffer; contentType: string; etag: string };

/** Every file the console serves, by name: nothing else under `/console/assets/` exists. */
export const ASSET_NAMES = [
  "console.css",
  "favicon.svg",
  "console-api.js",
  "sign-in.js",
  "approvals.js",
  "secrets.js",
  "tokens.js",
  "people.js",
  "audit.js",
] as const;

const CONTENT_TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
};

/**
 * Where the files are: `assets/` beside this module when running from source, `console-assets/`
 * beside the bundle once built (tsup copies them there).
 */
function assetFolder(): URL {
  const beside = new URL("./assets/", import.meta.url);
  if (existsSync(new URL("console.css", beside))) return beside;
  return new URL("./console-assets/", import.meta.url);
}

/** Reads the console's files once, at start; served from memory with an ETag. */
export async function loadConsoleAssets(): Promise<Map<string, ConsoleAsset>> {
  const folder = assetFolder();
  const assets = new Map<string, ConsoleAsset>();
  for (const name of ASSET_NAMES) {
    const body = await readFile(new URL(name, folder));
    const extension = name.slice(name.lastIndexOf(".") + 1);
    assets.set(name, {
      body,
      contentType: CONTENT_TYPES[extension] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
    });
  }
  return assets;
}
