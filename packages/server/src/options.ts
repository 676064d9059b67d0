// `@agentsecretstore/server/options`: the table of `ass server`'s options, without the server.
// A CLI builds its flags from it at start-up and loads the server itself only when it runs one.
export type { ServerOption, ServerOptionKey } from "./config/server-options.js";
export { SERVER_OPTIONS } from "./config/server-options.js";
