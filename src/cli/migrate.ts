// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { ConfigError, parseConfig } from "../config.js";
import { openConfiguredDatabase } from "../runtime/database.js";

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite under DATA_DIR). */
try {
  const config = parseConfig(process.env);
  const database = await openConfiguredDatabase(config);
  await database.migrate();
  await database.close();
  console.log(`migrations applied (${database.kind})`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exit(1);
}
