import type { Context } from "hono";
import type { AppEnv, ConsoleAsset } from "../../context.js";
import { newRouter } from "../common.js";

/** Vite names built files by content hash under /assets/, so they may be cached for a year. */
const HASHED = /^\/assets\//;
/** Paths the API owns: never answered with the console page, so their 404s stay JSON. */
const API_PATH = /^\/(v1|healthz|readyz|metrics|status|openapi\.json|docs)(\/|$)/;

function send(c: Context<AppEnv>, asset: ConsoleAsset, cacheControl: string): Response {
  const gzipOk = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
  const headers: Record<string, string> = {
    "content-type": asset.type,
    "cache-control": cacheControl,
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
  };
  if (gzipOk && asset.gzip) {
    headers["content-encoding"] = "gzip";
    return c.body(asset.gzip as Uint8Array<ArrayBuffer>, 200, headers);
  }
  return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, headers);
}

/**
 * The web console at `/`: built files from the ConsoleAssets capability (absent on the edge and in
 * unit tests, where these routes answer the usual JSON 404). Any other GET that asks for HTML and is not
 * an API path gets index.html, so console URLs like /knowledge-bases/kb_1 survive a reload.
 */
export function consoleRoutes() {
  const app = newRouter();
  app.get("*", async (c, next) => {
    const assets = c.get("deps").consoleAssets;
    const path = c.req.path;
    if (!assets || API_PATH.test(path)) return next();
    const file = path === "/" ? null : await assets.get(path);
    if (file) return send(c, file, HASHED.test(path) ? "public, max-age=31536000, immutable" : "no-cache");
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
    if (path !== "/" && (!wantsHtml || /\.[a-z0-9]+$/i.test(path))) return next();
    const index = await assets.get("/index.html");
    if (!index) return next();
    // The page itself is never cached: it names the current hashed files.
    return send(c, index, "no-cache");
  });
  return app;
}
