import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { documentEventBus } from "../../services/documents/event-bus.js";
import { getDocument } from "../../services/documents/get.js";
import { streamCapsFor } from "../../services/documents/stream-caps.js";
import { errorResponses, security } from "../common.js";
import { DocIdParam, toDocument } from "./schema.js";

/**
 * A keep-alive comment this often keeps proxies from closing a quiet stream. Only where the database
 * cannot push (no LISTEN) does the stream also re-read its document then.
 */
const KEEPALIVE_MS = 15_000;

export const route = createRoute({
  method: "get",
  path: "/documents/{id}/events",
  tags: ["Documents"],
  summary: "Stream a document's progress as server-sent events until it is ready or failed (any scope)",
  description:
    "Each `progress` event carries the Document object whenever it changes; the last event is `ready` or `failed`, then the stream ends. Open streams are capped per key (MAX_STREAMS_PER_KEY) and per tenant (MAX_STREAMS_PER_TENANT): 429 names the cap.",
  security,
  request: { params: DocIdParam },
  responses: {
    200: { description: "An event stream.", content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(403, 404, 429),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath(route);
  app.get("/documents/:id/events", async (c) => {
    const ctx = tenantCtx(c);
    const id = c.req.param("id");
    // Resolve visibility before the stream starts so a 404 is a normal error response.
    let view = toDocument(await getDocument({ ctx, input: { id } }));
    const release = streamCapsFor(ctx.deps).acquire(ctx.auth);
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | null = null;
      let changed = false;
      const signal = () => {
        changed = true;
        wake?.();
      };
      let unsubscribe: () => void = () => {};
      stream.onAbort(() => {
        unsubscribe();
        release();
        wake?.();
      });
      const bus = documentEventBus(ctx.deps);
      try {
        unsubscribe = await bus.subscribe(id, signal);
        // Anything that changed between the first read and subscribing is picked up by reading again.
        changed = true;
        let last = "";
        let seq = 0;
        while (!stream.aborted) {
          if (changed) {
            changed = false;
            try {
              view = toDocument(await getDocument({ ctx, input: { id } }));
            } catch {
              await stream.writeSSE({ event: "deleted", data: JSON.stringify({ id }) });
              break;
            }
          }
          const json = JSON.stringify(view);
          const terminal = view.status === "ready" || view.status === "failed";
          if (json !== last) {
            await stream.writeSSE({
              event: terminal ? view.status : "progress",
              data: json,
              id: String(seq++),
            });
            last = json;
          }
          if (terminal) break;
          const woke = await new Promise<boolean>((resolve) => {
            if (changed) return resolve(true);
            const timer = setTimeout(() => resolve(false), KEEPALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wake = null;
          if (!woke && !stream.aborted) {
            await stream.write(": keep-alive\n\n");
            changed = !bus.pushing;
          }
        }
      } finally {
        unsubscribe();
        release();
      }
    });
  });
}
