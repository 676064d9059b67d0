import { defineConfig, type Options } from "tsup";

/**
 * Workspace packages that are never published (`@agentsecretstore/protocol`): every package
 * that uses them bundles them in, code and types, so none of them is a runtime dependency.
 */
const BUNDLED_PACKAGES = ["@agentsecretstore/protocol"];

/** Options of {@link packageConfig}. */
export type PackageConfigOptions = {
  /** Entries that get a `.d.ts` when not all of them should. @default every entry */
  dtsEntry?: Record<string, string>;
  /** @default "node" */
  platform?: Options["platform"];
  /** Runs after each build, e.g. to copy files the bundle reads at run time. */
  onSuccess?: () => Promise<void>;
};

/** The one tsup setup of the workspace's packages: ESM for Node 20, sourcemaps, bundled vocabulary. */
export function packageConfig(entry: Record<string, string>, options: PackageConfigOptions = {}) {
  return defineConfig({
    entry,
    format: ["esm"],
    dts: {
      ...(options.dtsEntry === undefined ? {} : { entry: options.dtsEntry }),
      resolve: BUNDLED_PACKAGES,
    },
    noExternal: BUNDLED_PACKAGES,
    target: "node20",
    platform: options.platform ?? "node",
    sourcemap: true,
    clean: true,
    ...(options.onSuccess === undefined ? {} : { onSuccess: options.onSuccess }),
  });
}
