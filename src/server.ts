// First: stops on a Node too old to run the rest (see node-check.ts).
import "./node-check.js";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { loadConfigOrExit, profileOf } from "./config.js";
import { createLogger } from "./logger.js";
import { composeRuntime } from "./runtime/compose.js";
import { startConnectorScheduler } from "./runtime/connector-scheduler.js";
import { stopOnSignals } from "./runtime/shutdown.js";
import { purgeAllExpired } from "./services/conversations/retention.js";
import { ensurePlatformKey } from "./services/tenants/bootstrap.js";
import { loadWidget } from "./widget/build.js";

/** Node entry: config -> runtime -> app -> serve, plus graceful shutdown. */
async function main() {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger(config);
  // The widget bundles (or, compiled, loads) while the runtime starts; a failure leaves /widget.js 404, not the API down.
  const widgetBuild = loadWidget().catch((err) => {
    logger.error({ err }, "could not build the chat widget; /widget.js is unavailable");
    return undefined;
  });
  const runtime = await composeRuntime(config, logger);
  const { deps } = runtime;
  const { created } = await ensurePlatformKey(deps.database.db, config.ADMIN_API_KEY);
  const widget = await widgetBuild;
  if (widget) deps.widget = widget;
  const app = createApp(deps);

  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    const base = config.PUBLIC_URL ?? `http://localhost:${info.port}`;
    const lines = [
      `AI Hub listening on ${base} (${profileOf(config)} profile, data in ${config.DATA_DIR})`,
      `API reference: ${base}/docs   OpenAPI: ${base}/openapi.json`,
      config.SMTP_URL
        ? `E-mail: sent through SMTP (${new URL(config.SMTP_URL).host})`
        : "E-mail: SMTP_URL is not set, so e-mails are NOT sent; each link (verification, reset, invitation) is written to this log instead",
      `Sign-up: ${config.SIGNUP} (SIGNUP); ${config.ADMIN_EMAIL ? `${config.ADMIN_EMAIL} becomes platform administrator` : "the first account becomes platform administrator"}. curl -X POST ${base}/v1/auth/sign-up -H 'content-type: application/json' -d '{"email":"you@example.com","password":"..."}'`,
    ];
    if (created) {
      lines.push(
        "",
        "Platform admin key (shown once, store it now):",
        `  ${created}`,
        `Create a tenant: curl -X POST ${base}/v1/tenants -H 'authorization: Bearer ${created}' -H 'content-type: application/json' -d '{"name":"Acme"}'`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  });
  // Idle keep-alive connections are closed after 65 s rather than Node's 5 s: a client (or a load
  // balancer, whose idle timeout is typically 60 s) that reuses a connection just as the server closes
  // it gets ECONNRESET on a request that was never read (bench:soak saw 4 in 190,000 asks at 5 s).
  // The server must be the side that waits longer; headersTimeout must exceed keepAliveTimeout.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;

  // Conversations past their organization's retention are deleted hourly (and on POST /v1/conversations/purge).
  const purge = () =>
    purgeAllExpired(deps.database.db).catch((err) => logger.error({ err }, "conversation purge failed"));
  void purge();
  setInterval(purge, 3_600_000).unref();
  // Connectors run on their schedules here; the database lease keeps it to one run per binding.
  const connectors = startConnectorScheduler(deps);

  stopOnSignals({
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    messages: { stopping: "shutting down: draining in-flight requests", stopped: "stopped" },
    async stop() {
      deps.lifecycle.draining = true;
      // close() stops accepting and resolves once in-flight requests and open streams have ended.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connectors.stop();
      (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      await runtime.close();
    },
    onTimeout() {
      logger.warn("drain timeout reached; closing remaining connections");
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    },
  });
}

main().catch((err) => {
  console.error("AI Hub failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
