import { createHash } from "node:crypto";
import { ApiError } from "../../errors.js";
import { newRouter } from "../common.js";

/**
 * GET /widget.js: the embeddable chat widget. Any site may load the script itself (it holds no data);
 * what it may talk to is decided per embed by the public endpoints' origin check.
 */
export function widgetRoutes() {
  const app = newRouter();
  let etag: string | undefined;
  app.get("/widget.js", (c) => {
    const widget = c.get("deps").widget;
    if (!widget) {
      throw new ApiError(
        "not_found",
        "The widget is not built in this deployment (the Node entry builds it at start).",
      );
    }
    etag ??= `"${createHash("sha256").update(widget.js).digest("base64url").slice(0, 22)}"`;
    const headers = {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=300",
      etag,
      "cross-origin-resource-policy": "cross-origin",
      "x-content-type-options": "nosniff",
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(widget.js, 200, headers);
  });
  return app;
}
