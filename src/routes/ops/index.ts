import { createRoute, z } from "@hono/zod-openapi";
import { jsonResponse, newRouter } from "../common.js";
import * as docs from "./docs.js";
import * as home from "./home.js";
import { probe } from "./probe.js";
import * as status from "./status.js";

const Health = z.object({ status: z.literal("ok") });
const Ready = z
  .object({
    status: z.enum(["ready", "unavailable"]),
    checks: z.record(z.string(), z.enum(["up", "down"])),
    detail: z.string().optional(),
  })
  .openapi("Readiness");

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Operations"],
  summary: "Liveness: the process is up",
  responses: { 200: jsonResponse(Health, "Up.") },
});

const readyz = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["Operations"],
  summary: "Readiness: database and configured dependencies answer",
  responses: {
    200: jsonResponse(Ready, "All dependencies answer."),
    503: jsonResponse(Ready, "Something is down (named in `checks`), or the server is shutting down."),
  },
});

export function opsRoutes() {
  const app = newRouter();
  home.register(app);
  docs.register(app);
  status.register(app);
  app.openapi(healthz, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(readyz, async (c) => {
    const deps = c.get("deps");
    const results = await Promise.all(
      deps.readiness.map(async (r) => [r.name, await probe(r.check)] as const),
    );
    const checks = Object.fromEntries(
      results.map(([n, ok]) => [n, ok ? ("up" as const) : ("down" as const)]),
    );
    const down = results.filter(([, ok]) => !ok).map(([n]) => n);
    if (deps.lifecycle.draining) {
      return c.json({ status: "unavailable" as const, checks, detail: "shutting down" }, 503);
    }
    if (down.length) {
      return c.json({ status: "unavailable" as const, checks, detail: `down: ${down.join(", ")}` }, 503);
    }
    return c.json({ status: "ready" as const, checks }, 200);
  });
  app.get("/metrics", async (c) => {
    const metrics = c.get("deps").metrics;
    if (!metrics) return c.text("metrics are not collected in this runtime\n", 404);
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { "content-type": contentType });
  });
  return app;
}
