import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { syncDirectory } from "../fs/sync-directory.js";
import { KEY_LENGTH } from "./keys.js";

/** Thrown when the master key cannot be loaded or created. The message never contains key material. */
export class MasterKeyError extends Error {
  override readonly name = "MasterKeyError";
  readonly code = "MASTER_KEY_INVALID";
}

/** Where the master key came from and whether this call created it. */
export type LoadedMasterKey = { key: Buffer; source: "env" | "file"; created: boolean };

/** Options of {@link loadOrCreateMasterKey}. */
export type MasterKeyOptions = {
  /** The server's data folder; the key file is `<dataDir>/master.key`. Created (mode 0700) if missing. */
  dataDir: string;
  /**
   * Where `ASS_MASTER_KEY` is read from.
   * @default process.env
   */
  env?: Record<string, string | undefined>;
  /**
   * Create `master.key` when neither the variable nor the file exists. Off for a shared
   * (PostgreSQL) database, where every instance must load the same key and a key made up by
   * one of them would lock the others out.
   * @default true
   */
  createIfMissing?: boolean;
};

/** The environment variable that holds the master key (32 bytes, base64 or 64 hex characters). */
export const MASTER_KEY_ENV = "ASS_MASTER_KEY";
/** The key file's name inside the data folder. */
export const MASTER_KEY_FILE = "master.key";

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}={0,1}$/;
const FORMATS = "32 bytes written as 64 hex characters or as base64 (44 characters)";

/**
 * Loads the master key: from `ASS_MASTER_KEY` when set, else from `<dataDir>/master.key`, which is
 * created with 32 random bytes (base64, mode 0600) on first start. Concurrent first starts agree
 * on one key: the file appears atomically, complete, or not at all.
 *
 * @throws MasterKeyError when `ASS_MASTER_KEY` is not 32 bytes in hex or base64, when the key file
 * is malformed, or when it is readable or writable by group or others.
 */
export async function loadOrCreateMasterKey(options: MasterKeyOptions): Promise<LoadedMasterKey> {
  const existing = await loadMasterKey(options);
  if (existing !== null) return existing;
  const file = join(options.dataDir, MASTER_KEY_FILE);
  if (options.createIfMissing === false) {
    throw new MasterKeyError(
      `No master key: set ${MASTER_KEY_ENV} (the same value on every instance; generate one with: openssl rand -base64 32), or put the shared key file at ${file}`,
    );
  }
  const key = randomBytes(KEY_LENGTH);
  const published = await publishMasterKey(options.dataDir, key);
  return { key: published, source: "file", created: published === key };
}

/**
 * Loads the master key from `ASS_MASTER_KEY` or `<dataDir>/master.key`; null when neither exists.
 * Creates nothing.
 *
 * @throws MasterKeyError as {@link loadOrCreateMasterKey} does.
 */
export async function loadMasterKey(
  options: Pick<MasterKeyOptions, "dataDir" | "env">,
): Promise<LoadedMasterKey | null> {
  const env = options.env ?? process.env;
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv !== undefined) {
    return { key: decodeKey(fromEnv, MASTER_KEY_ENV), source: "env", created: false };
  }
  const existing = await readKeyFile(join(options.dataDir, MASTER_KEY_FILE));
  return existing === null ? null : { key: existing, source: "file", created: false };
}

/** A rotation's new master key, beside the current one until the rotation ends. */
export const NEXT_MASTER_KEY_FILE = "master.key.next";

/** The new master key of a rotation under way (`<dataDir>/master.key.next`), or null. */
export async function loadNextMasterKey(dataDir: string): Promise<Buffer | null> {
  return readKeyFile(join(dataDir, NEXT_MASTER_KEY_FILE));
}

/**
 * Writes a rotation's new key to `<dataDir>/master.key.next` (as `master.key` is written: mode
 * 0600, flushed, never overwriting) and returns the key now in that file.
 */
export async function publishNextMasterKey(dataDir: string, key: Buffer): Promise<Buffer> {
  const file = join(dataDir, NEXT_MASTER_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (await publishKeyFile(file, key)) return key;
  const existing = await readKeyFile(file);
  if (existing === null) throw new MasterKeyError(`master key file ${file} vanished`);
  return existing;
}

/**
 * Ends a rotation on disk: the old `master.key` is kept as `master.key.retired-<id>` (it opens
 * only backups made before the rotation; delete it when those are gone), then `master.key.next`
 * replaces `master.key` by an atomic rename, and the folder is flushed. Each step can be run
 * again after a crash.
 */
export async function promoteNextMasterKey(dataDir: string, oldKeyId: string): Promise<void> {
  const file = join(dataDir, MASTER_KEY_FILE);
  const next = join(dataDir, NEXT_MASTER_KEY_FILE);
  if ((await readKeyFile(next)) === null) return;
  await link(file, `${file}.retired-${oldKeyId}`).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST" && error.code !== "ENOENT") throw error;
  });
  await rename(next, file);
  await syncDirectory(dataDir);
}

/** A new random master key (32 bytes), not yet written anywhere. */
export function generateMasterKey(): Buffer {
  return randomBytes(KEY_LENGTH);
}

/**
 * Writes `key` to `<dataDir>/master.key` (mode 0600, flushed, the folder created with mode 0700)
 * unless the file exists, and returns the key now in the file: `key` itself, or the one another
 * process wrote first.
 */
export async function publishMasterKey(dataDir: string, key: Buffer): Promise<Buffer> {
  const file = join(dataDir, MASTER_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (await publishKeyFile(file, key)) return key;
  // Another process created the file between our read and our write: use its key.
  const winner = await readKeyFile(file);
  if (winner === null) throw new MasterKeyError(`master key file ${file} vanished while starting`);
  return winner;
}

/** Decodes a key given as 64 hex characters or base64 / base64url of exactly 32 bytes. */
function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (trimmed === "") throw new MasterKeyError(`${where} is set but empty; it must be ${FORMATS}`);
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (BASE64_KEY.test(trimmed)) {
    const key = Buffer.from(
      trimmed,
      trimmed.includes("-") || trimmed.includes("_") ? "base64url" : "base64",
    );
    if (key.length === KEY_LENGTH) return key;
  }
  // Only the length is reported: the text itself may be a real key with a typo in it.
  throw new MasterKeyError(
    `${where} must be ${FORMATS}; got ${trimmed.length} characters that are neither (generate one with: openssl rand -base64 32)`,
  );
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new MasterKeyError(`cannot read master key file ${file}: ${(error as Error).message}`);
  }
  if (!info.isFile()) throw new MasterKeyError(`master key file ${file} is not a regular file`);
  // Windows has no POSIX modes; everywhere else a key others can read is no secret.
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
    throw new MasterKeyError(
      `master key file ${file} has mode ${mode}: group or others can access it; run \`chmod 600 ${file}\` (and check who may have copied it)`,
    );
  }
  return decodeKey(await readFile(file, "utf8"), `master key file ${file}`);
}

/**
 * Writes the key to a private temporary file, flushes it, then hard-links it into place: `link`
 * fails if the name exists, so a concurrent start never overwrites a key and never sees half a file.
 * Returns false when another process won.
 */
async function publishKeyFile(file: string, key: Buffer): Promise<boolean> {
  const temporary = `${file}.${randomBytes(8).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${key.toString("base64")}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600); // a umask can only remove bits; this makes 0600 exact
    await link(temporary, file);
    // The new entry must be durable: losing the key after a crash would lose every secret.
    await syncDirectory(dirname(file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new MasterKeyError(`cannot create master key file ${file}: ${(error as Error).message}`);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
