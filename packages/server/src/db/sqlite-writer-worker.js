// The SQLite writer thread (started by sqlite-writer.ts): it owns the database's one write
// connection, so that write statements, and above all the durable COMMIT with its fsync
// (`synchronous = FULL`), run here instead of on the server's event loop. Plain JavaScript on
// purpose: a worker thread loads this file as it is, from the sources (tests, bench) and from
// dist/ (the build copies it beside the bundle).
//
// Messages in:  { id, sql, params, begin? }  one statement (COMMIT and ROLLBACK included);
//               with `begin: true`, BEGIN runs first (one message instead of two)
//               { id, close: true }  close the connection, then answer
// Messages out: { ready: true } once open, or { failed: { message, code } }
//               { id, rows } | { id, changes, lastInsertRowid } | { id, error: { message, code } }
import { parentPort, workerData } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";

/** Most distinct SQL texts kept prepared (as on the main thread's read connection). */
const STATEMENT_CACHE_SIZE = 500;

/** What may travel back as an error: its message and SQLite's code, never the parameters. */
function describe(error) {
  const code = typeof error?.code === "string" ? error.code : undefined;
  return { message: error instanceof Error ? error.message : String(error), code };
}

/** Opens the database tuned for durability (as sqlite-database.ts documents), or says why not. */
function open() {
  try {
    const opened = new BetterSqlite3(workerData.filename);
    opened.pragma("journal_mode = WAL");
    opened.pragma("synchronous = FULL");
    opened.pragma(`busy_timeout = ${workerData.busyTimeoutMs}`);
    opened.pragma("foreign_keys = ON");
    return opened;
  } catch (error) {
    parentPort.postMessage({ failed: describe(error) });
    parentPort.close();
    return undefined;
  }
}

const sqlite = open();

const statements = new Map();

/** Prepares once per SQL text, keeping the most recently used ones. */
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = sqlite.prepare(sql);
    if (statements.size >= STATEMENT_CACHE_SIZE) {
      statements.delete(statements.keys().next().value);
    }
  } else {
    statements.delete(sql);
  }
  statements.set(sql, statement);
  return statement;
}

function execute(id, sql, params, begin) {
  if (begin === true) prepare("begin").run();
  // SQLite itself ends a transaction on some failures (a full disk, an I/O error); the
  // ROLLBACK that follows must not fail for want of a transaction.
  if (sql === "rollback" && !sqlite.inTransaction) return { id, changes: 0 };
  const statement = prepare(sql);
  if (statement.reader) return { id, rows: statement.all(params) };
  const { changes, lastInsertRowid } = statement.run(params);
  return { id, changes, lastInsertRowid };
}

function answer(message) {
  if (message.close === true) {
    statements.clear();
    sqlite.close();
    parentPort.postMessage({ id: message.id, changes: 0 });
    parentPort.close();
    return;
  }
  let reply;
  try {
    reply = execute(message.id, message.sql, message.params, message.begin);
  } catch (error) {
    reply = { id: message.id, error: describe(error) };
  }
  parentPort.postMessage(reply);
}

if (sqlite !== undefined) {
  parentPort.on("message", answer);
  parentPort.postMessage({ ready: true });
}
