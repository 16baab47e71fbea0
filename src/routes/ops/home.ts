import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { API_VERSION } from "../../version.js";

/**
 * `GET /`: a page for people who open the URL the server printed. Plain English and no assets, so it
 * renders anywhere; the console will take `/` over when it lands.
 */
const LINKS: [href: string, label: string, what: string][] = [
  ["/docs", "API reference", "every operation, with request and response schemas (works offline)"],
  ["/openapi.json", "OpenAPI document", "for code generators and API clients"],
  ["/healthz", "Health", "liveness; /readyz says whether the database and vector store answer"],
];

export function homePage(): string {
  const items = LINKS.map(
    ([href, label, what]) => `      <li><a href="${href}">${label}</a> <span>${what}</span></li>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>AI Hub ${API_VERSION}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
      h1 { margin-bottom: 0; } .version { color: #666; margin-top: 0; }
      li { margin: .4rem 0; } li span { color: #555; } code { background: #f3f3f3; padding: 0 .2rem; }
    </style>
  </head>
  <body>
    <h1>AI Hub</h1>
    <p class="version">version ${API_VERSION}</p>
    <p>A self-hostable, multi-tenant service that answers questions from your documents.
      The API lives under <code>/v1</code> and takes <code>Authorization: Bearer &lt;key&gt;</code>.</p>
    <ul>
${items}
    </ul>
  </body>
</html>
`;
}

export function register(app: OpenAPIHono<AppEnv>) {
  // A page for browsers, not an API operation: kept out of the OpenAPI document.
  app.get("/", (c) => c.html(homePage()));
}
