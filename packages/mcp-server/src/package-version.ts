/** This package's version, as MCP clients see it in `initialize`. */
export const PACKAGE_VERSION = "0.1.0";
