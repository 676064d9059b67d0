// `pnpm bench`: the vault's hot path beside a bare Fastify route, servers and load in separate
// processes, one markdown table for the run (see the server README's "Performance"). Exits 1
// when a row saw anything but 2xx answers: such figures would lie.
import { benchOptions, USAGE } from "./bench-options.js";
import { failedRows, renderMarkdown } from "./bench-report.js";
import { runBench } from "./run-bench.js";

let options: ReturnType<typeof benchOptions>;
try {
  options = benchOptions(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (options === "help") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const report = await runBench(options, (title) => process.stderr.write(`bench: ${title}\n`));
process.stdout.write(
  options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderMarkdown(report)}\n`,
);
const failed = failedRows(report);
if (failed.length > 0) {
  process.stderr.write(
    `bench: non-2xx answers or errors in: ${failed.map((row) => row.title).join("; ")}; those figures do not count\n`,
  );
  process.exitCode = 1;
}
