#!/usr/bin/env node
// Runs the whole vitest suite, then prints the one closing line CI reads:
//   vitest: N passed, M failed, K skipped
// and exits non-zero when a test failed or none ran.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

const resultsFile = resolve(".vitest-results.json");
const maxWorkers = process.env.ASS_TEST_WORKERS ?? String(Math.max(2, availableParallelism() + 1));
rmSync(resultsFile, { force: true });

const run = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${resultsFile}`,
    // Most test time is spent waiting on sockets, child processes and PostgreSQL, so more test
    // files than cores run at once (vitest's default is one fewer than the cores: one on CI's
    // two). A loaded machine is slower, not wrong: the timeouts leave room for that.
    `--maxWorkers=${maxWorkers}`,
    "--testTimeout=30000",
    "--hookTimeout=60000",
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);

if (!existsSync(resultsFile)) {
  console.log("vitest: 0 passed, 0 failed, 0 skipped");
  console.error("vitest wrote no results; see its output above.");
  process.exit(run.status || 1);
}

const results = JSON.parse(readFileSync(resultsFile, "utf8"));
const passed = results.numPassedTests ?? 0;
const failed = (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);

if (failed > 0 || passed === 0 || run.status !== 0) process.exit(1);
