import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { compress } from "hono/compress";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";

/** Where the page loads Scalar from: this server, never a CDN (the reference must work offline). */
const SCRIPT_PATH = "/docs/scalar.js";

/**
 * Scalar's standalone browser bundle as installed with @scalar/api-reference, read on first request.
 * Resolved from the package's entry (its exports list no browser path) so any install layout works.
 */
async function readStandaloneBundle(): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  const { createRequire } = await import("node:module");
  const { pathToFileURL } = await import("node:url");
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return readFile(new URL("./browser/standalone.js", pathToFileURL(entry)));
}

export function register(app: OpenAPIHono<AppEnv>) {
  let bundle: Promise<Uint8Array> | null = null;
  app.get(
    "/docs",
    Scalar({
      url: "/openapi.json",
      pageTitle: "AI Hub API reference",
      cdn: SCRIPT_PATH,
      // Offline: no web fonts from Scalar's servers, no telemetry, no hosted agent.
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      // Some forty operations: listing them all at once is what people scan for.
      defaultOpenAllTags: true,
    } as Parameters<typeof Scalar>[0]),
  );
  app.get(SCRIPT_PATH, compress(), async (c) => {
    bundle ??= readStandaloneBundle().catch((err: unknown) => {
      bundle = null;
      throw err;
    });
    let bytes: Uint8Array;
    try {
      bytes = await bundle;
    } catch {
      throw new ApiError(
        "unavailable",
        "The API reference's script (@scalar/api-reference) is not installed here; /openapi.json still is.",
      );
    }
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    });
  });
}
