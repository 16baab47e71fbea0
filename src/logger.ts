import pino from "pino";
import type { Config } from "./config.js";
import type { Logger } from "./context.js";

/** API keys (`aih_…`) and sha256 hex digests (stored key hashes) wherever they appear in text. */
const SECRET_TEXT = /aih_[0-9a-z]{8}_[0-9a-z]{32}|\b[0-9a-f]{64}\b/g;
/** Credential-looking query parameters in URLs quoted by errors (`?api_key=…`, `&token=…`). */
const SECRET_PARAM =
  /([?&](?:key|api_key|apikey|token|access_token|secret|password|signature|sig)=)[^&\s"']*/gi;

/** Removes secrets from text that may end up in a log line. */
export function scrubSecrets(text: string): string {
  return (
    text
      // drizzle's query errors append every bound parameter ("params: <hash>,..."): never log them.
      .replace(/\nparams: [\s\S]*$/, "\nparams: [redacted]")
      .replace(SECRET_TEXT, "[redacted]")
      .replace(SECRET_PARAM, "$1[redacted]")
  );
}

/**
 * Errors are logged with their name, message, code and stack (secrets scrubbed) and their cause, but
 * never with the bound parameters of a failed query, which can hold key hashes and user text.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return typeof err === "string" ? scrubSecrets(err) : err;
  const e = err as Error & { code?: unknown; cause?: unknown };
  return {
    type: e.name,
    message: scrubSecrets(e.message),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.stack ? { stack: scrubSecrets(e.stack) } : {}),
    ...(e.cause !== undefined && depth < 3 ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
}

/** Scrubs every string of a logged object (a few levels deep: log objects are small and flat). */
function scrubObject(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (value === null || typeof value !== "object" || depth > 4 || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubObject(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubObject(v, depth + 1);
  return out;
}

/** JSON logs on stdout; secrets in headers, errors and quoted URLs are redacted. */
export function createLogger(
  config: Pick<Config, "LOG_LEVEL">,
  destination?: pino.DestinationStream,
): Logger & pino.Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: "ai-hub" },
    redact: ["req.headers.authorization", "headers.authorization", "*.headers.authorization"],
    serializers: { err: serializeError, error: serializeError },
    formatters: { log: (obj) => scrubObject(obj) as Record<string, unknown> },
    hooks: {
      // Messages are written by us, but may quote a URL or a value: scrub them too.
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === "string") args[i] = scrubSecrets(args[i] as string);
        }
        method.apply(this, args as Parameters<typeof method>);
      },
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
