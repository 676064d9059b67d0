import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";

/**
 * `ass mcp`: the MCP server of `@agentsecretstore/mcp`, with the options of its `ass-mcp`
 * binary (parsed there, so they are defined once). Loaded only when the command runs.
 */
export function registerMcpCommand(program: Command, io: CliIo): void {
  program
    .command("mcp")
    .summary("serve the vault tools to MCP hosts (Claude, Cursor, VS Code…) on stdio or HTTP")
    .description(
      "Serve the vault tools to MCP hosts, on stdio or (--http) on Streamable HTTP; the same as the ass-mcp binary of @agentsecretstore/mcp. Run `ass mcp --help` for its options.",
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[options...]", "options of ass-mcp (see ass mcp --help)")
    .action(async (options: string[]) => {
      const { runMcpServer } = await import("@agentsecretstore/mcp");
      await runMcpServer(
        options,
        {
          stdin: io.stdin ?? process.stdin,
          // stdio mode writes protocol messages to the real stdout stream (the binary's).
          stdout: io.stdout as NodeJS.WritableStream,
          stderr: io.stderr,
          env: io.env,
          ...(io.signal !== undefined && { signal: io.signal }),
        },
        { name: "ass mcp" },
      );
    });
}
