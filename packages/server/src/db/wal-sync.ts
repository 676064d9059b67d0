import { close, fsync, open } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";

const fsyncAsync = promisify(fsync);
const openAsync = promisify(open);
const closeAsync = promisify(close);

/**
 * Makes a SQLite database's commits durable off the event loop. The connection runs with
 * `synchronous = NORMAL` in WAL mode: a COMMIT writes its frames to the WAL file (safe from a
 * `kill -9` at once, since they are in the operating system's hands) without waiting for the
 * disk; this class then fsyncs the WAL file on libuv's thread pool, and whoever committed is
 * answered only once that fsync covering its commit returned — what `synchronous = FULL` does
 * inside COMMIT, on the main thread. One fsync covers every commit made before it started, so
 * concurrent transactions share it (a group commit at the file level).
 *
 * Reads outside a transaction that might have seen a commit not yet on disk wait for it too
 * ({@link untilDurable}), so that nothing is ever answered from a state a power loss could undo.
 *
 * The WAL file keeps its inode while a connection holds the database open (SQLite deletes it
 * only when the last connection closes), so one descriptor serves for the connection's life.
 */
export class WalSync {
  /** Commits made so far, and how many of them an fsync has covered. */
  #committed = 0;
  #durable = 0;
  #running: { covers: number; done: Promise<void> } | undefined;
  #queued: Promise<void> | undefined;
  #descriptor: Promise<number> | undefined;

  /**
   * @param databaseFile the database's file name (its WAL is `<databaseFile>-wal`)
   * @param syncFile how a descriptor is synced (tests watch it)
   * @default syncFile fsync(2) on libuv's thread pool
   */
  constructor(
    private readonly databaseFile: string,
    private readonly syncFile: (descriptor: number) => Promise<void> = fsyncAsync,
  ) {}

  /** Counts a commit (or a write outside a transaction) and resolves once it is on disk. */
  committed(): Promise<void> {
    this.#committed += 1;
    return this.#waitFor(this.#committed);
  }

  /** Resolves once every commit made so far is on disk; undefined when they already are. */
  untilDurable(): Promise<void> | undefined {
    return this.#durable >= this.#committed ? undefined : this.#waitFor(this.#committed);
  }

  /** Closes the WAL file's descriptor (after the last commit was waited for). */
  async close(): Promise<void> {
    const descriptor = this.#descriptor;
    this.#descriptor = undefined;
    if (descriptor !== undefined) await closeAsync(await descriptor).catch(() => {});
  }

  #waitFor(target: number): Promise<void> {
    if (this.#durable >= target) return Promise.resolve();
    const running = this.#running;
    if (running === undefined) return this.#run();
    if (running.covers >= target) return running.done;
    // An fsync that started before this commit may miss it: one more, after it, for everyone
    // who committed meanwhile.
    this.#queued ??= running.done
      .catch(() => {})
      .then(() => {
        this.#queued = undefined;
        return this.#run();
      });
    return this.#queued;
  }

  #run(): Promise<void> {
    const covers = this.#committed;
    const done = this.#sync().then(() => {
      this.#durable = Math.max(this.#durable, covers);
    });
    const running = { covers, done };
    this.#running = running;
    const clear = () => {
      if (this.#running === running) this.#running = undefined;
    };
    done.then(clear, clear);
    return done;
  }

  async #sync(): Promise<void> {
    this.#descriptor ??= this.#openWal();
    try {
      await this.syncFile(await this.#descriptor);
    } catch (error) {
      // Open it again next time (it may not have existed yet); this commit's caller hears of it.
      this.#descriptor = undefined;
      throw error;
    }
  }

  /** The WAL file, once; its directory is synced once too, so that the file's name is durable. */
  async #openWal(): Promise<number> {
    const descriptor = await openAsync(`${this.databaseFile}-wal`, "r");
    const folder = await openAsync(dirname(this.databaseFile), "r");
    try {
      await fsyncAsync(folder);
    } finally {
      await closeAsync(folder);
    }
    return descriptor;
  }
}
