import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { rootCertificates } from "node:tls";
import { BROKER_ROUTE_NAME, checkSecretPath } from "@agentsecretstore/protocol";

/**
 * One credential broker route (docs/protocol.md, "Credential broker"): calls to
 * `/v1/broker/{name}/{rest…}` go to `{upstream}/{rest…}` with the secret's value injected in
 * exactly one way — a header template, basic auth, or a query parameter.
 *
 * @example
 * { name: "openai", upstream: "https://api.openai.com", secretPath: "production/openai/api-key",
 *   header: "Authorization: Bearer {value}", pathPrefixes: ["/v1/"] }
 */
export type BrokerRoute = {
  /** The route's name in the URL: lowercase letters, digits, `-` and `_`. */
  name: string;
  /** The upstream origin: `https://…`, or `http://` only on a loopback address. */
  upstream: string;
  /** The secret whose value is injected; callers need `secrets:use:<path>` (or read). */
  secretPath: string;
  /** A header and its value template, `{value}` standing for the secret: `Authorization: Bearer {value}`. */
  header?: string;
  /**
   * Basic auth: the user name, the secret being the password. `""` when the value is itself
   * `user:password`.
   */
  basicUser?: string;
  /** A query parameter that carries the value (`?key=…`). */
  queryParameter?: string;
  /**
   * Paths (after the route's name) a call may go to, each a prefix such as `/v1/`.
   * @default every path
   */
  pathPrefixes?: readonly string[];
  /**
   * Methods a call may use (`GET`, `POST`, …).
   * @default every method
   */
  methods?: readonly string[];
  /**
   * How long the upstream may take to answer (headers), and to stay silent afterwards, in seconds.
   * @default 120
   */
  timeoutSeconds?: number;
  /**
   * Largest request body forwarded, in bytes.
   * @default 10485760 (10 MiB)
   */
  maxBodyBytes?: number;
  /**
   * `"per_call"`: every call needs a person's approval of that one call (method, URL, body
   * digest), which admits it once.
   * @default none (the secret's own `approval` may still ask for it)
   */
  approval?: "per_call" | "none";
  /**
   * A PEM file of CA certificates the upstream's certificate may chain to, besides Node's own
   * roots (a private upstream). The certificate is always verified.
   * @default the broker's `caFile`, else Node's roots only
   */
  caFile?: string;
};

/** How a route injects the secret. */
export type Injection =
  | { kind: "header"; name: string; template: string }
  | { kind: "basic"; user: string }
  | { kind: "query"; parameter: string };

/** A route checked and ready: its upstream parsed, its defaults filled in. */
export type ResolvedBrokerRoute = {
  name: string;
  upstream: URL;
  secretPath: string;
  injection: Injection;
  pathPrefixes: readonly string[];
  methods: ReadonlySet<string> | null;
  timeoutMs: number;
  maxBodyBytes: number;
  approval: "per_call" | null;
  /** The CAs an https upstream's certificate may chain to (Node's roots plus the CA file's); undefined = Node's roots. */
  ca: readonly string[] | undefined;
};

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const METHOD = /^[A-Z]+$/;
/** Headers a template may not set: the broker owns them. */
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);

/**
 * Checks routes and fills in their defaults. Every problem is reported as "`where`: what to fix"
 * (the route's name or index in the list), never with a secret.
 *
 * @throws Error whose message names the route and the field.
 */
export function resolveBrokerRoutes(
  routes: readonly BrokerRoute[],
  where = "broker.routes",
  defaults: { caFile?: string | undefined } = {},
): ResolvedBrokerRoute[] {
  const seen = new Set<string>();
  const sharedCa =
    defaults.caFile === undefined ? undefined : readCaFile(defaults.caFile, "broker.ca_file");
  return routes.map((route, index) => {
    const label = `${where}[${index}]${typeof route?.name === "string" ? ` (${route.name})` : ""}`;
    const resolved = resolveRoute(route, label);
    if (route.caFile !== undefined) resolved.ca = readCaFile(route.caFile, `${label}: ca_file`);
    else if (sharedCa !== undefined) resolved.ca = sharedCa;
    if (seen.has(resolved.name)) throw new Error(`${label}: name: another route has this name`);
    seen.add(resolved.name);
    return resolved;
  });
}

function resolveRoute(route: BrokerRoute, label: string): ResolvedBrokerRoute {
  const fail = (field: string, message: string): never => {
    throw new Error(`${label}: ${field}: ${message}`);
  };
  if (typeof route !== "object" || route === null) return fail("route", "expected a table");
  if (typeof route.name !== "string" || !BROKER_ROUTE_NAME.test(route.name)) {
    fail("name", "expected lowercase letters, digits, '-' or '_' (at most 63)");
  }
  const upstream = resolveUpstream(route.upstream, fail);
  const path = checkSecretPath(route.secretPath);
  if (!path.ok) fail("secret", path.message);
  const injection = resolveInjection(route, fail);
  const prefixes = route.pathPrefixes ?? [];
  for (const prefix of prefixes) {
    if (typeof prefix !== "string" || !prefix.startsWith("/") || prefix.includes("..")) {
      fail("path_prefixes", "each prefix starts with '/' and holds no '..'");
    }
  }
  const methods = route.methods?.map((method) => String(method).toUpperCase());
  for (const method of methods ?? []) {
    if (!METHOD.test(method)) fail("methods", `'${method}' is not an HTTP method`);
  }
  const timeoutSeconds = route.timeoutSeconds ?? 120;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) {
    fail("timeout_seconds", "expected whole seconds from 1 to 3600");
  }
  const maxBodyBytes = route.maxBodyBytes ?? 10 * 1024 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) {
    fail("max_body_bytes", "expected a whole number of bytes");
  }
  if (route.approval !== undefined && route.approval !== "per_call" && route.approval !== "none") {
    fail("approval", "expected 'per_call' or 'none'");
  }
  return {
    name: route.name,
    upstream,
    secretPath: route.secretPath,
    injection,
    approval: route.approval === "per_call" ? "per_call" : null,
    ca: undefined,
    pathPrefixes: prefixes,
    methods: methods === undefined ? null : new Set(methods),
    timeoutMs: timeoutSeconds * 1000,
    maxBodyBytes,
  };
}

function resolveUpstream(text: unknown, fail: (field: string, message: string) => never): URL {
  let url: URL;
  try {
    url = new URL(String(text));
  } catch {
    return fail("upstream", "expected an origin such as https://api.example.com");
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    fail("upstream", "give the origin (and a base path) only: no credentials, query or fragment");
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    fail("upstream", "plain http is allowed only to a loopback address; use https");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    fail("upstream", "expected an https:// origin");
  }
  return url;
}

/** Node's root CAs plus the certificates of a PEM file; the error names `where` and says what is wrong. */
function readCaFile(file: string, where: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(
      `${where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  const certificates = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (certificates === null) throw new Error(`${where}: ${file} holds no PEM certificate`);
  return [...rootCertificates, ...certificates];
}

/** Whether a URL's host name is a loopback address (the only place plain http may go). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

function resolveInjection(
  route: BrokerRoute,
  fail: (field: string, message: string) => never,
): Injection {
  const given = [route.header, route.basicUser, route.queryParameter].filter(
    (value) => value !== undefined,
  );
  if (given.length !== 1) {
    return fail("header", "give exactly one of header, basic_user or query_parameter");
  }
  if (route.header !== undefined) {
    const colon = route.header.indexOf(":");
    const name = route.header.slice(0, colon).trim();
    const template = route.header.slice(colon + 1).trim();
    if (colon < 1 || !HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      fail("header", "expected 'Name: template', such as 'Authorization: Bearer {value}'");
    }
    if (!template.includes("{value}")) fail("header", "the template must hold {value}");
    return { kind: "header", name: name.toLowerCase(), template };
  }
  if (route.basicUser !== undefined) {
    if (typeof route.basicUser !== "string" || route.basicUser.includes(":")) {
      fail("basic_user", "expected a user name without ':' ('' when the value is user:password)");
    }
    return { kind: "basic", user: route.basicUser };
  }
  const parameter = route.queryParameter;
  if (typeof parameter !== "string" || parameter === "") {
    fail("query_parameter", "expected a parameter name");
  }
  return { kind: "query", parameter: parameter as string };
}

/** A route as a config file writes it (`[[broker.routes]]`, snake_case keys). */
export type BrokerRouteTable = {
  name: string;
  upstream: string;
  secret: string;
  header?: string | undefined;
  basic_user?: string | undefined;
  query_parameter?: string | undefined;
  path_prefixes?: string[] | undefined;
  methods?: string[] | undefined;
  timeout_seconds?: number | undefined;
  max_body_bytes?: number | undefined;
  approval?: "per_call" | "none" | undefined;
  ca_file?: string | undefined;
};

/** A config file's route as the embedded API takes it. */
export function brokerRouteFromTable(table: BrokerRouteTable): BrokerRoute {
  const optional = <K extends keyof BrokerRoute>(key: K, value: BrokerRoute[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    name: table.name,
    upstream: table.upstream,
    secretPath: table.secret,
    ...optional("header", table.header),
    ...optional("basicUser", table.basic_user),
    ...optional("queryParameter", table.query_parameter),
    ...optional("pathPrefixes", table.path_prefixes),
    ...optional("methods", table.methods),
    ...optional("timeoutSeconds", table.timeout_seconds),
    ...optional("maxBodyBytes", table.max_body_bytes),
    ...optional("approval", table.approval),
    ...optional("caFile", table.ca_file),
  };
}
