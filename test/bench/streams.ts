/**
 * bench:streams — /healthz latency while 500 document event streams are held open (issue 10).
 * One API process (PGlite in memory, served over HTTP on 127.0.0.1), 500 SSE streams on 50 documents
 * that are still processing, then 500 sequential /healthz calls; also the latency with no streams open.
 * Writes test/bench/results/streams.{json,md}.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { openPglite } from "../../src/db/pglite.js";
import { documents, documentVersions, knowledgeBases } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { createLogger } from "../../src/logger.js";
import { offlineModelRegistry } from "../../src/models/registry.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";

const STREAMS = Number(process.env.BENCH_STREAMS ?? 500);
const PROBES = 500;
const ADMIN = "bench_platform_admin_key_0123456789";

async function healthz(base: string): Promise<{ p50: number; p99: number; max: number }> {
  const ms: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const s = performance.now();
    await (await fetch(`${base}/healthz`)).text();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Number(ms[Math.ceil(ms.length * q) - 1]!.toFixed(2));
  return { p50: at(0.5), p99: at(0.99), max: Number(ms.at(-1)!.toFixed(2)) };
}

async function main() {
  const database = await openPglite();
  await database.migrate();
  const config = parseConfig({
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    ADMIN_API_KEY: ADMIN,
    RATE_LIMIT_PER_MINUTE: "0",
    MAX_STREAMS_PER_KEY: "1000",
  });
  await ensurePlatformKey(database.db, ADMIN);
  const app = createApp({
    config,
    database,
    logger: createLogger(config),
    readiness: [],
    models: offlineModelRegistry(),
    lifecycle: { draining: false },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, key: string, body?: unknown) =>
    (await fetch(`${base}${path}`, {
      method: body ? "POST" : "GET",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then((r) => r.json())) as any;
  const tenant = await call("/v1/tenants", ADMIN, { name: "Bench" });
  const key = tenant.key.key as string;
  const kb = await call("/v1/knowledge-bases", key, { name: "Docs" });
  const [kbRow] = await database.db.select().from(knowledgeBases).where(eq(knowledgeBases.id, kb.id));
  const docs: string[] = [];
  for (let i = 0; i < 50; i++) {
    const doc = newId("doc");
    const version = newId("ver");
    await database.db.insert(documents).values({
      id: doc,
      tenantId: kbRow!.tenantId,
      kbId: kb.id,
      title: `D${i}`,
      filename: `d${i}.txt`,
      latestVersionId: version,
    });
    await database.db.insert(documentVersions).values({
      id: version,
      documentId: doc,
      tenantId: kbRow!.tenantId,
      kbId: kb.id,
      sha256: doc,
      format: "text",
      sizeBytes: 1,
      blobKey: doc,
      status: "processing",
    });
    docs.push(doc);
  }
  const idle = await healthz(base);
  const ac = new AbortController();
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  const openStarted = performance.now();
  for (let i = 0; i < STREAMS; i++) {
    const res = await fetch(`${base}/v1/documents/${docs[i % docs.length]}/events`, {
      headers: { authorization: `Bearer ${key}` },
      signal: ac.signal,
    });
    if (res.status !== 200) throw new Error(`stream ${i}: ${res.status} ${await res.text()}`);
    const reader = res.body!.getReader();
    await reader.read();
    readers.push(reader);
  }
  const openMs = performance.now() - openStarted;
  const held = await healthz(base);
  ac.abort();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
    streams: STREAMS,
    open_all_ms: Math.round(openMs),
    healthz_no_streams_ms: idle,
    healthz_with_streams_ms: held,
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    target: "p99 < 100 ms with 500 streams held",
  };
  writeFileSync("test/bench/results/streams.json", `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    "test/bench/results/streams.md",
    `# bench:streams (${result.date}, Node ${result.node}, load ${result.loadavg.join(" ")})\n\n| | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n| /healthz, no streams | ${idle.p50} | ${idle.p99} | ${idle.max} |\n| /healthz, ${STREAMS} streams held | ${held.p50} | ${held.p99} | ${held.max} |\n\nOpening all ${STREAMS} streams took ${result.open_all_ms} ms; RSS ${result.rss_mb} MB.\n`,
  );
  console.log(JSON.stringify(result));
  (server as unknown as import("node:http").Server).closeAllConnections();
  server.close();
  await database.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
