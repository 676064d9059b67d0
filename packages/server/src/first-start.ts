import { constants } from "node:fs";
import { access, chmod, type FileHandle, open, rmdir, unlink } from "node:fs/promises";
import { join } from "node:path";

/** The keys a first start created, as the dotenv lines `ass server` prints and `--keys-file` holds. */
export function formatFirstStartKeys(
  baseUrl: string,
  keys: { adminKey: string; agentKey: string; metricsToken: string },
): string {
  return [
    "# First start: these keys are shown only once. Keep them somewhere safe.",
    `ASS_BASE_URL=${baseUrl}`,
    `ASS_ADMIN_KEY=${keys.adminKey}`,
    `ASS_AGENT_KEY=${keys.agentKey}`,
    "# Prometheus scrapes /metrics with: Authorization: Bearer <ASS_METRICS_TOKEN>",
    `ASS_METRICS_TOKEN=${keys.metricsToken}`,
    "",
  ].join("\n");
}

/** Thrown when a first start's keys file already exists (it may hold the only copy of keys). */
export class KeysFileExistsError extends Error {
  override readonly name = "KeysFileExistsError";
  constructor(readonly path: string) {
    super(
      `The keys file ${path} already exists; refusing to overwrite it (it may hold the only copy of earlier keys). Move it away or name another file. Nothing was created.`,
    );
  }
}

/**
 * Creates the keys file, empty, with mode 0600; fails if anything exists at `path`.
 *
 * @throws KeysFileExistsError when the file exists.
 */
export async function createKeysFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new KeysFileExistsError(path);
    throw new Error(`Cannot create the keys file ${path}: ${(error as Error).message}`);
  }
  await chmod(path, 0o600); // a umask can only remove bits; this makes 0600 exact
  return handle;
}

/** Writes the keys into the file made by {@link createKeysFile}, flushes and closes it. */
export async function writeKeysFile(handle: FileHandle, text: string): Promise<void> {
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether `path` exists (whatever it is). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes what a start that failed before creating any key left in a data folder that did not
 * exist before it: the empty database (and its -wal/-shm), then the folder if nothing else is in it.
 */
export async function removeUnusedDataDir(dataDir: string, databaseFile: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    await unlink(`${databaseFile}${suffix}`).catch(() => undefined);
  }
  await rmdir(dataDir).catch(() => undefined);
}

/** The SQLite file in a data folder. */
export function sqliteFileIn(dataDir: string): string {
  return join(dataDir, "vault.db");
}
