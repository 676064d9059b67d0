import type { TestServer } from "../helpers/test-server.js";

/** The console's session cookie as a `Cookie` header value, from a sign-in answer. */
export function sessionCookieFrom(setCookie: string | string[] | undefined): string {
  const line = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ""]).find((entry) =>
    entry.startsWith("ass_console_session="),
  );
  if (line === undefined) throw new Error("no session cookie was set");
  return line.split(";")[0] ?? "";
}

/** Signs in through `POST /console/session` with an admin key; the cookie and the CSRF token. */
export async function signIn(
  server: TestServer,
  adminKey = server.adminKey,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await server.app.inject({
    method: "POST",
    url: "/console/session",
    headers: { authorization: `Bearer ${adminKey}` },
  });
  if (response.statusCode !== 201) throw new Error(`sign-in failed: ${response.body}`);
  const cookie = sessionCookieFrom(response.headers["set-cookie"]);
  const page = await server.app.inject({
    method: "GET",
    url: "/console/approvals",
    headers: { cookie },
  });
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body);
  if (match?.[1] === undefined) throw new Error("the page has no CSRF token");
  return { cookie, csrfToken: match[1] };
}
