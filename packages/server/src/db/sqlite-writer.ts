import { Worker } from "node:worker_threads";
import type { QueryResult } from "kysely";

/** What the writer thread answers to one statement (see sqlite-writer-worker.js). */
type Reply = {
  id: number;
  rows?: unknown[];
  changes?: number;
  lastInsertRowid?: number | bigint;
  error?: { message: string; code?: string };
};

type Waiting = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

/** An error of the writer thread, with SQLite's code kept (`SQLITE_CONSTRAINT_UNIQUE`, …). */
function rebuildError(described: { message: string; code?: string }): Error {
  const error = new Error(described.message) as Error & { code?: string };
  error.name = "SqliteError";
  if (described.code !== undefined) error.code = described.code;
  return error;
}

/**
 * The main thread's handle on the SQLite writer thread: sends one statement at a time and
 * resolves with its result once the thread has run it (a COMMIT: once it is durable). The
 * thread keeps the process alive only while a statement is on its way, so a script that is done
 * with its database can end even before it closes it.
 */
export class SqliteWriter {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #failure: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: Reply) => this.#settle(reply));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => this.#fail(new Error(`the SQLite writer thread exited (${code})`)));
  }

  /** Starts the thread, which opens `filename` (WAL, `synchronous = FULL`, foreign keys on). */
  static start(filename: string, busyTimeoutMs: number): Promise<SqliteWriter> {
    const worker = new Worker(new URL("./sqlite-writer-worker.js", import.meta.url), {
      workerData: { filename, busyTimeoutMs },
    });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once("error", onError);
      worker.once("message", (message: { ready?: true; failed?: { message: string } }) => {
        worker.off("error", onError);
        if (message.ready === true) {
          worker.unref();
          resolve(new SqliteWriter(worker));
        } else {
          reject(rebuildError(message.failed ?? { message: "the SQLite writer did not start" }));
        }
      });
    });
  }

  /** Runs one statement on the write connection; with `begin`, opens a transaction first. */
  async execute(
    sql: string,
    params: readonly unknown[],
    begin = false,
  ): Promise<QueryResult<unknown>> {
    const reply = await this.#send(begin ? { sql, params, begin } : { sql, params });
    if (reply.error !== undefined) throw rebuildError(reply.error);
    if (reply.rows !== undefined) return { rows: reply.rows };
    return {
      numAffectedRows: BigInt(reply.changes ?? 0),
      ...(reply.lastInsertRowid === undefined ? {} : { insertId: BigInt(reply.lastInsertRowid) }),
      rows: [],
    };
  }

  /** Closes the write connection (checkpointing the WAL) and ends the thread. */
  async close(): Promise<void> {
    if (this.#failure !== null) return;
    const exited = new Promise<void>((resolve) => {
      this.#worker.once("exit", () => resolve());
    });
    await this.#send({ close: true });
    // #settle unref'd the thread with the last reply: held again until it exits, or a process
    // with nothing else to do would end before close() resolves (exit code 13, and a caller
    // that closes after a failed start never gets to say why).
    this.#worker.ref();
    await exited;
  }

  #send(
    message: { sql: string; params: readonly unknown[]; begin?: boolean } | { close: true },
  ): Promise<Reply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#waiting.size === 0) this.#worker.ref();
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }

  #settle(reply: Reply): void {
    const waiting = this.#waiting.get(reply.id);
    if (waiting === undefined) return;
    this.#waiting.delete(reply.id);
    if (this.#waiting.size === 0) this.#worker.unref();
    waiting.resolve(reply);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
