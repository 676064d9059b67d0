import { readFile } from "node:fs/promises";
import type { AllowedDestination } from "@agentsecretstore/agent-tools";
import { z } from "zod";
import { McpConfigError } from "../mcp-config-error.js";

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

// Strict on purpose: a typo such as `secretPath` for `secretPaths` must not silently let every
// secret go to that origin.
const destinationSchema = z.strictObject({
  origin: z.string().min(1),
  pathPrefixes: z.array(z.string().min(1)).min(1).optional(),
  methods: z.array(z.enum(HTTP_METHODS)).min(1).optional(),
  secretPaths: z.array(z.string().min(1)).min(1).optional(),
  broker: z.string().min(1).optional(),
});

const destinationsSchema = z.array(destinationSchema);

const configFileSchema = z.strictObject({
  destinations: destinationsSchema.optional(),
});

/** One place `call_api_with_secret` may send a credential to, as written in the configuration. */
export type DestinationConfig = AllowedDestination;

/** What the configuration file (`--config`, `ASS_MCP_CONFIG`) holds. */
export interface McpConfigFile {
  /** Where `call_api_with_secret` may send credentials. */
  readonly destinations: readonly DestinationConfig[];
}

// zod marks an absent optional field `undefined`; the tools' options want it left out.
function withoutAbsent(destination: z.infer<typeof destinationSchema>): DestinationConfig {
  return Object.fromEntries(
    Object.entries(destination).filter(([, value]) => value !== undefined),
  ) as unknown as DestinationConfig;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.length > 0 ? issue.path.join(".") : "(top level)"}: ${issue.message}`,
    )
    .join("; ");
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new McpConfigError(`${where} is not valid JSON. Fix its syntax and start again.`);
  }
}

/** The destinations in `ASS_MCP_DESTINATIONS` (a JSON array), or none when it is unset. */
export function destinationsFromEnvironment(value: string | undefined): DestinationConfig[] {
  if (value === undefined || value.trim() === "") return [];
  const parsed = destinationsSchema.safeParse(parseJson(value, "ASS_MCP_DESTINATIONS"));
  if (!parsed.success) {
    throw new McpConfigError(
      `ASS_MCP_DESTINATIONS must be a JSON array of {origin, pathPrefixes?, methods?, secretPaths?, broker?}: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data.map(withoutAbsent);
}

/** Reads and checks the JSON configuration file at `path`. */
export async function readConfigFile(path: string): Promise<McpConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new McpConfigError(`Cannot read the configuration file ${path} (${code}).`);
  }
  const parsed = configFileSchema.safeParse(parseJson(text, `The configuration file ${path}`));
  if (!parsed.success) {
    throw new McpConfigError(
      `The configuration file ${path} is not valid: ${describeIssues(parsed.error)}. Expected {"destinations": [{"origin": "https://api.example.com", "secretPaths": ["production/example/*"]}]}.`,
    );
  }
  return { destinations: (parsed.data.destinations ?? []).map(withoutAbsent) };
}
