import pino from "pino";
import type { Config } from "./config.js";
import type { Logger } from "./context.js";

/** JSON logs on stdout; secrets in headers are redacted should a request ever be logged whole. */
export function createLogger(config: Pick<Config, "LOG_LEVEL">): Logger & pino.Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: "ai-hub" },
    redact: ["req.headers.authorization", "headers.authorization"],
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
