/** The path of the MCP endpoint on the HTTP transport. */
export const MCP_PATH = "/mcp";

/** Where RFC 9728 puts the metadata of the resource `<origin>/mcp` (and the bare form). */
export const METADATA_PATHS = [
  "/.well-known/oauth-protected-resource/mcp",
  "/.well-known/oauth-protected-resource",
] as const;

/**
 * The OAuth 2.0 Protected Resource Metadata (RFC 9728) of this MCP server, as the MCP
 * authorization spec asks of a resource server: which resource it is and how to present a
 * token. No `authorization_servers`: callers present a bearer token the operator gave them.
 */
export function protectedResourceMetadata(publicOrigin: string): Record<string, unknown> {
  return {
    resource: `${publicOrigin}${MCP_PATH}`,
    bearer_methods_supported: ["header"],
    resource_name: "Agent Secret Store MCP server",
    resource_documentation: "https://www.npmjs.com/package/@agentsecretstore/mcp",
  };
}

/** The `WWW-Authenticate` header of a 401 (RFC 6750, with RFC 9728's `resource_metadata`). */
export function wwwAuthenticate(publicOrigin: string, invalidToken: boolean): string {
  const metadata = `resource_metadata="${publicOrigin}${METADATA_PATHS[0]}"`;
  return invalidToken
    ? `Bearer error="invalid_token", error_description="The bearer token is not one this MCP server accepts", ${metadata}`
    : `Bearer ${metadata}`;
}
