/** Socket-level failures reaching the database server (refused, reset, unreachable, timed out). */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);
/** node-postgres's own messages for a connection that failed or died mid-query. */
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly/i;

/**
 * Whether an error means "the database cannot be reached right now" rather than "this query is wrong":
 * a refused or dropped connection, or the server shutting down or starting (SQLSTATE class 08, 57P01-03).
 * Walks the cause chain, since drizzle wraps the driver's error. The API answers these with 503 and a
 * reason instead of a 500, and recovers by itself: the pool opens new connections when the server is back.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (SOCKET_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code)) return true;
    }
    if (typeof message === "string" && DRIVER_MESSAGES.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
