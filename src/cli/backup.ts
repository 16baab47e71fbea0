// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../config.js";

/**
 * `npm run backup -- --out FILE [--url URL] [--key KEY]`: asks the running embedded-profile service
 * for a consistent backup (POST /v1/platform/backup) and writes it to FILE. The service keeps serving;
 * only vector and blob writes wait while the copy is taken. The key is the platform admin key
 * (--key, else ADMIN_API_KEY).
 */
const { values } = parseArgs({
  options: { out: { type: "string" }, url: { type: "string" }, key: { type: "string" } },
});
const config = loadConfigOrExit(process.env);
const key = values.key ?? config.ADMIN_API_KEY;
const base = (values.url ?? config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/$/, "");
if (!values.out || !key) {
  console.error(
    "usage: npm run backup -- --out FILE [--url URL] [--key PLATFORM_ADMIN_KEY]\n(the key defaults to ADMIN_API_KEY; the URL to PUBLIC_URL or http://127.0.0.1:PORT)",
  );
  process.exit(2);
}
const tmp = `${values.out}.partial`;
try {
  const res = await fetch(`${base}/v1/platform/backup`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
  }).catch((err: Error) => {
    throw new Error(`cannot reach the service at ${base} (${err.message}); is it running? (--url)`);
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { detail?: string };
    throw new Error(`the service answered ${res.status}: ${body.detail ?? res.statusText}`);
  }
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(tmp));
  await rename(tmp, values.out);
  console.log(
    `backup written to ${values.out}: point in time ${res.headers.get("x-backup-created-at")}, writes held ${res.headers.get("x-backup-barrier-ms")} ms`,
  );
} catch (err) {
  await rm(tmp, { force: true });
  console.error(`backup failed: ${(err as Error).message}`);
  process.exit(1);
}
