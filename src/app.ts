import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { authenticate } from "./auth/middleware.js";
import { isPublicPath } from "./auth/public-paths.js";
import type { AppDeps } from "./context.js";
import { ApiError, problemResponse, toApiError } from "./errors.js";
import { newId } from "./ids.js";
import { rateLimit } from "./ratelimit/middleware.js";
import { askRoutes } from "./routes/ask/index.js";
import { auditRoutes } from "./routes/audit/index.js";
import { authRoutes } from "./routes/auth/index.js";
import { billingRoutes } from "./routes/billing/index.js";
import { chatRoutes } from "./routes/chat/index.js";
import { newRouter } from "./routes/common.js";
import { connectorRoutes } from "./routes/connectors/index.js";
import { consoleRoutes } from "./routes/console/index.js";
import { conversationRoutes } from "./routes/conversations/index.js";
import { documentRoutes } from "./routes/documents/index.js";
import { embeddingRoutes } from "./routes/embeddings/index.js";
import { embedRoutes } from "./routes/embeds/index.js";
import { evalRoutes } from "./routes/evals/index.js";
import { fileRoutes } from "./routes/files/index.js";
import { keyRoutes } from "./routes/keys/index.js";
import { knowledgeBaseRoutes } from "./routes/knowledge-bases/index.js";
import { modelRoutes } from "./routes/models/index.js";
import { opsRoutes } from "./routes/ops/index.js";
import { orgRoutes } from "./routes/orgs/index.js";
import { platformRoutes } from "./routes/platform/index.js";
import { pluginRoutes } from "./routes/plugins/index.js";
import { publicRoutes } from "./routes/public/index.js";
import { responseRoutes } from "./routes/responses/index.js";
import { searchRoutes } from "./routes/search/index.js";
import { securityHeaders } from "./routes/security-headers.js";
import { slaRoutes } from "./routes/sla/index.js";
import { templateRoutes } from "./routes/templates/index.js";
import { tenantRoutes } from "./routes/tenants/index.js";
import { textGuard } from "./routes/text-guard.js";
import { usageRoutes } from "./routes/usage/index.js";
import { vectorStoreRoutes } from "./routes/vector-stores/index.js";
import { webhookRoutes } from "./routes/webhooks/index.js";
import { widgetRoutes } from "./routes/widget/index.js";
import { API_VERSION } from "./version.js";

export { API_VERSION };

/** Routes whose bodies are uploads; they enforce their own (larger) limit while streaming. */
const UPLOAD_PATH = /^\/v1\/(knowledge-bases\/[^/]+\/documents(\/bulk)?|files|platform\/plugins)$/;
/** The widget's endpoints: no API key, and CORS only for each embed's allowed origins (routes/public). */
const PUBLIC_PATH = /^\/v1\/public\//;

/** Builds the whole HTTP API from its dependencies. No I/O happens here; entries compose and serve. */
export function createApp(deps: AppDeps) {
  const app = newRouter();

  app.use("*", async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.\-:]{1,128}$/.test(incoming) ? incoming : newId("req");
    c.set("requestId", requestId);
    c.set("deps", deps);
    c.set("logger", deps.logger.child({ requestId }));
    c.header("x-request-id", requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The route's own template, also when a middleware answered first (auth, a database that did not
    // answer): routePath would then name the middleware's pattern ("/v1/*").
    const handler = c.req.matchedRoutes.findLast((r) => r.method !== "ALL");
    const route = handler?.path ?? (c.req.routePath || "unmatched");
    deps.metrics?.observeRequest(c.req.method, route, c.res.status, seconds);
    // The SLA's request log (GET /v1/sla): API traffic only, batched by the writer, never awaited here.
    if (route.startsWith("/v1/")) {
      deps.requestLog?.record({
        tenantId: c.get("auth")?.tenantId ?? null,
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: seconds * 1000,
      });
    }
    c.get("logger").info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) },
      "request",
    );
  });

  app.use("*", securityHeaders);

  // API keys are for servers: browsers get CORS on /v1 only from the origins in CORS_ORIGINS (none by
  // default). The console is same-origin and needs none; visitors' pages talk to /v1/public/*, where
  // each embed's allowed_origins decide (routes/public). No credentials: sessions never go cross-origin.
  const allowedOrigins = new Set(deps.config.CORS_ORIGINS ?? []);
  const apiCors = cors({
    origin: (origin) => (allowedOrigins.has(origin) ? origin : null),
    allowHeaders: ["authorization", "content-type", "x-request-id"],
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
  app.use("/v1/*", async (c, next) => (PUBLIC_PATH.test(c.req.path) ? next() : apiCors(c, next)));

  const jsonLimit = bodyLimit({
    maxSize: deps.config.MAX_JSON_KB * 1024,
    onError: () => {
      throw new ApiError(
        "payload_too_large",
        `Request body exceeds ${deps.config.MAX_JSON_KB} KB (MAX_JSON_KB). Send less data per request.`,
      );
    },
  });
  app.use("/v1/*", async (c, next) => (UPLOAD_PATH.test(c.req.path) ? next() : jsonLimit(c, next)));
  app.use("/v1/*", async (c, next) =>
    c.req.method === "OPTIONS" || isPublicPath(c.req.path) || PUBLIC_PATH.test(c.req.path)
      ? next()
      : authenticate(c, next),
  );
  app.use("/v1/*", textGuard);
  // Public paths (sign-in, sign-up, e-mailed links) have no caller yet; src/auth/throttle.ts limits them.
  // Public embed routes have no key either: they limit per visitor and per embed (routes/public).
  app.use("/v1/*", async (c, next) =>
    c.req.method === "OPTIONS" || isPublicPath(c.req.path) || PUBLIC_PATH.test(c.req.path)
      ? next()
      : rateLimit(c, next),
  );

  // First: the built console owns `/` and its own URLs; it passes API paths and anything it has no
  // file for to the routes below, so without a build `/` is the small home page (routes/ops/home.ts).
  app.route("/", consoleRoutes());
  app.route("/", opsRoutes());
  app.route("/", widgetRoutes());
  app.route("/v1", tenantRoutes());
  app.route("/v1", keyRoutes());
  app.route("/v1", knowledgeBaseRoutes());
  app.route("/v1", documentRoutes());
  app.route("/v1", auditRoutes());
  app.route("/v1", searchRoutes());
  app.route("/v1", askRoutes());
  app.route("/v1", chatRoutes());
  app.route("/v1", responseRoutes());
  app.route("/v1", embeddingRoutes());
  app.route("/v1", fileRoutes());
  app.route("/v1", vectorStoreRoutes());
  app.route("/v1", modelRoutes());
  app.route("/v1", usageRoutes());
  app.route("/v1", slaRoutes());
  app.route("/v1", evalRoutes());
  app.route("/v1", authRoutes());
  app.route("/v1", orgRoutes());
  app.route("/v1", platformRoutes());
  app.route("/v1", pluginRoutes());
  app.route("/v1", connectorRoutes());
  app.route("/v1", templateRoutes());
  app.route("/v1", billingRoutes());
  app.route("/v1", webhookRoutes());
  app.route("/v1", conversationRoutes());
  app.route("/v1", embedRoutes());
  app.route("/v1", publicRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `Authorization: Bearer aih_...`",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "aih_session",
    description:
      "A browser session (POST /v1/auth/sign-in). Unsafe methods also need the `X-CSRF-Token` header.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "AI Hub API",
      version: API_VERSION,
      description:
        "Multi-tenant RAG document question answering: knowledge bases, ingestion, search and ask.",
    },
  });

  app.notFound((c) =>
    problemResponse(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}. See /docs.`)),
  );
  app.onError((err, c) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) c.get("logger")?.error({ err }, "request failed");
    deps.metrics?.observeError?.(apiError.code, apiError.status);
    return problemResponse(c, apiError);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
