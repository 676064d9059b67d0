import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

/** The client's source folder: bundles are made from source, as a user's bundler would see it. */
export const CLIENT_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Options of {@link bundleClient}. */
export interface BundleOptions {
  /** The entry module's text, with imports relative to `src/` (e.g. `export { AgentVault } from "./index.ts";`). */
  readonly entry: string;
  /** @default "neutral" */
  readonly platform?: "neutral" | "browser" | "node";
  /** @default true */
  readonly minify?: boolean;
}

/** A bundle: its code, its min+gzip size in bytes, and every module it imports that it did not inline. */
export interface Bundle {
  readonly code: string;
  readonly gzipBytes: number;
  /** Bare specifiers left as imports (`node:…`, packages). The client's main entry has none. */
  readonly external: readonly string[];
}

/** Packages bundled into the client at build time (tsup's `noExternal`), so measured too. */
const BUNDLED = new Set(["@agentsecretstore/protocol"]);

/**
 * Leaves every other bare specifier (`node:fs`, `zlib`, a package) unbundled and records it:
 * the client's entries must have none.
 */
function recordExternals(external: Set<string>): Plugin {
  return {
    name: "record-externals",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (BUNDLED.has(args.path)) return undefined;
        external.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `entry` with esbuild into one ES module (tree-shaken, minified unless told
 * otherwise) and measures it with gzip, as "min+gzip" figures are usually given.
 */
export async function bundleClient(options: BundleOptions): Promise<Bundle> {
  const external = new Set<string>();
  const result = await build({
    stdin: {
      contents: options.entry,
      resolveDir: CLIENT_SOURCE,
      loader: "ts",
      sourcefile: "entry.ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: options.platform ?? "neutral",
    target: "es2022",
    minify: options.minify ?? true,
    treeShaking: true,
    // Workspace packages resolve to their sources, as in the client's own tests.
    conditions: ["source"],
    logLevel: "silent",
    plugins: [recordExternals(external)],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild produced no output");
  return {
    code: output.text,
    gzipBytes: gzipSync(output.contents).length,
    external: [...external],
  };
}
