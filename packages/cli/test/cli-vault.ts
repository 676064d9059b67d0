import { join } from "node:path";
import { Readable } from "node:stream";
import type { RateLimitSettings } from "@agentsecretstore/server";
import { startVault } from "@agentsecretstore/testkit";
import { run } from "../src/run.js";
import { captureIo, eventually } from "./capture-io.js";

/** A vault on a free loopback port for CLI tests, and a way to run `ass` against it. */
export async function startCliVault(
  options: { criticalDelaySeconds?: number; rateLimits?: RateLimitSettings } = {},
) {
  const vault = await startVault({
    prefix: "ass-cli-vault-",
    server: {
      approvals: { criticalDelaySeconds: options.criticalDelaySeconds ?? 0 },
      ...(options.rateLimits && { rateLimits: options.rateLimits }),
    },
  });
  const { server } = vault;
  const keys = server.firstStart!;
  const env = { ASS_BASE_URL: server.baseUrl, ASS_ADMIN_KEY: keys.adminKey };

  /** Runs `ass` as a function; `stdin` is piped input (a value), absent means no stdin. */
  async function ass(
    argv: string[],
    options: { stdin?: string; env?: Record<string, string | undefined> } = {},
  ) {
    const capture = captureIo({ ...env, ...options.env });
    if (options.stdin !== undefined) capture.io.stdin = Readable.from([options.stdin]);
    const code = await run(argv, capture.io);
    return { code, stdout: capture.stdout(), stderr: capture.stderr() };
  }

  /** Starts a long-running `ass` command (`--follow`, `watch`); `stop()` aborts it as Ctrl-C would. */
  function assUntilStopped(argv: string[]) {
    const capture = captureIo(env);
    const exit = run(argv, capture.io);
    return {
      exit,
      stop: capture.stop,
      /** Resolves with stdout once `check(stdout)` holds (polling), or rejects after 15 s. */
      waitFor: (check: (stdout: string) => boolean) =>
        eventually(() => (check(capture.stdout()) ? capture.stdout() : undefined)),
    };
  }

  return {
    server,
    keys,
    env,
    /** The vault's SQLite file, for tests that change rows behind the server's back. */
    databaseFile: join(vault.dataDir, "vault.db"),
    ass,
    assUntilStopped,
    close: vault.close,
  };
}
