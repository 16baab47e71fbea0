/**
 * Standalone entry: `npm run engine`. Reads its own env (it runs alone, outside the app's config):
 * ENGINE_DATA_DIR (default ./data/vectors), ENGINE_HOST (default 127.0.0.1), ENGINE_PORT (default 6333).
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../node-check.js";
import { startEngine } from "./index.js";

const port = Number(process.env.ENGINE_PORT ?? 6333);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`ENGINE_PORT must be a port number (0-65535), got "${process.env.ENGINE_PORT}"`);
  process.exit(1);
}

const engine = await startEngine({
  dataDir: process.env.ENGINE_DATA_DIR ?? "./data/vectors",
  host: process.env.ENGINE_HOST ?? "127.0.0.1",
  port,
});
// One line so supervisors (and tests) can tell when it is ready and where.
console.log(`vector engine listening on ${engine.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    engine.close().then(
      () => process.exit(0),
      (e) => {
        console.error("vector engine failed to close cleanly:", e);
        process.exit(1);
      },
    );
  });
}
