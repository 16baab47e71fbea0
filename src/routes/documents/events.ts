import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getDocument } from "../../services/documents/get.js";
import { errorResponses, security } from "../common.js";
import { DocIdParam, toDocument } from "./schema.js";

/** The database is the source of truth (workers may run elsewhere), so the stream polls it. */
const POLL_MS = 200;
/** A keep-alive comment every so often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export const route = createRoute({
  method: "get",
  path: "/documents/{id}/events",
  tags: ["Documents"],
  summary: "Stream a document's progress as server-sent events until it is ready or failed (any scope)",
  description:
    "Each `progress` event carries the Document object whenever it changes; the last event is `ready` or `failed`, then the stream ends.",
  security,
  request: { params: DocIdParam },
  responses: {
    200: { description: "An event stream.", content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath(route);
  app.get("/documents/:id/events", async (c) => {
    const ctx = tenantCtx(c);
    const id = c.req.param("id");
    // Resolve visibility before the stream starts so a 404 is a normal error response.
    let view = toDocument(await getDocument({ ctx, input: { id } }));
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      let last = "";
      let quietSince = Date.now();
      let seq = 0;
      while (!closed) {
        const json = JSON.stringify(view);
        const terminal = view.status === "ready" || view.status === "failed";
        if (json !== last) {
          await stream.writeSSE({
            event: terminal ? view.status : "progress",
            data: json,
            id: String(seq++),
          });
          last = json;
          quietSince = Date.now();
        } else if (Date.now() - quietSince > KEEPALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          quietSince = Date.now();
        }
        if (terminal) break;
        await stream.sleep(POLL_MS);
        try {
          view = toDocument(await getDocument({ ctx, input: { id } }));
        } catch {
          // Deleted while streaming: say so and end.
          await stream.writeSSE({ event: "deleted", data: JSON.stringify({ id }) });
          break;
        }
      }
    });
  });
}
