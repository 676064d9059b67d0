import { html, type SafeHtml } from "../html.js";

/** The console's pages, in the order of its navigation. */
export const CONSOLE_PAGES = [
  { slug: "approvals", title: "Approvals" },
  { slug: "secrets", title: "Secrets" },
  { slug: "tokens", title: "Tokens" },
  { slug: "people", title: "Agents and admins" },
  { slug: "audit", title: "Audit" },
] as const;

/** A page's slug (its URL under `/console/`). */
export type ConsolePageSlug = (typeof CONSOLE_PAGES)[number]["slug"];

/** Who is signed in, as a page shows it. */
export type PageSession = { adminId: string; adminName: string; csrfToken: string };

/** The document around every page: styles, one module script, no inline script or style. */
export function documentOf(options: {
  title: string;
  script: string;
  body: SafeHtml;
  session?: PageSession;
}): string {
  const { session } = options;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Agent Secret Store</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
${session === undefined ? "" : html`<meta name="csrf-token" content="${session.csrfToken}">`}
<script type="module" src="/console/assets/${options.script}"></script>
</head>
<body${session === undefined ? "" : html` data-admin-id="${session.adminId}"`}>
${options.body}
</body>
</html>`}`;
}

/** A signed-in page: the header with navigation and sign-out, then the page's own main. */
export function signedInPage(options: {
  slug: ConsolePageSlug;
  session: PageSession;
  main: SafeHtml;
}): string {
  const page = CONSOLE_PAGES.find((candidate) => candidate.slug === options.slug);
  const title = page?.title ?? "Console";
  const links = CONSOLE_PAGES.map(
    (entry) =>
      html`<li><a href="/console/${entry.slug}"${
        entry.slug === options.slug ? html` aria-current="page"` : ""
      }>${entry.title}</a></li>`,
  );
  const body = html`<a class="skip" href="#main">Skip to content</a>
<header class="top">
<p class="brand">Agent Secret Store</p>
<nav aria-label="Console"><ul class="nav-links">${links}</ul></nav>
<p class="who">Signed in as <strong>${options.session.adminName}</strong>
<button type="button" id="sign-out" class="quiet">Sign out</button></p>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
<div id="page-error" role="alert" class="error" hidden></div>
${options.main}
</main>`;
  return documentOf({ title, script: `${options.slug}.js`, body, session: options.session });
}
