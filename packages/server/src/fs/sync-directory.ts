import { open } from "node:fs/promises";

/**
 * Flushes a directory so that an entry just created or linked in it survives a crash. Best effort:
 * some platforms cannot fsync a directory, and the callers have already flushed the file itself.
 */
export async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (e.g. Windows); the file's own data is already on disk.
  }
}
