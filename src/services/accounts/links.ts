import type { AppDeps } from "../../context.js";

/**
 * Links in e-mails point at the web console (CONSOLE_URL, else PUBLIC_URL), which posts the token to
 * the matching /v1/auth route. The paths are part of the console contract in the README.
 */
export function consoleLink(deps: AppDeps, path: string, token: string): string {
  const base = (
    deps.config.CONSOLE_URL ??
    deps.config.PUBLIC_URL ??
    `http://localhost:${deps.config.PORT}`
  ).replace(/\/$/, "");
  return `${base}${path}?token=${encodeURIComponent(token)}`;
}
