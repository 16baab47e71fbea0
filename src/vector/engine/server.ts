import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { EngineError, unsupported } from "./errors.js";
import { handleCollectionRoute } from "./handlers.js";
import type { Store } from "./store.js";

/** The Qdrant version this engine answers as; the JS client warns when client and server minors drift. */
export const QDRANT_VERSION = "1.19.0";
const MAX_BODY_BYTES = 256 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  // Encoded once: measuring the string and then writing it would walk a large response twice.
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  res.writeHead(status, { "content-type": "application/json", "content-length": bytes.length });
  res.end(bytes);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** The raw body; plain listeners rather than async iteration (fewer promise hops on every query). */
function readRaw(req: IncomingMessage): Promise<{ chunks: Buffer[]; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        reject(new EngineError(413, "Payload too large: request body exceeds 256 MiB"));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve({ chunks, size }));
    req.once("error", reject);
  });
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const { chunks, size } = await readRaw(req);
  if (size === 0) return {};
  let parsed: unknown;
  try {
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (e) {
    throw new EngineError(400, `Json deserialize error: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new EngineError(400, "Json deserialize error: request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

async function route(store: Store, req: IncomingMessage, res: ServerResponse, started: number) {
  const url = new URL(req.url ?? "/", "http://engine");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? "GET";
  const ok = (result: unknown) =>
    send(res, 200, { result, status: "ok", time: (performance.now() - started) / 1000 });

  if (method === "GET" && parts.length === 0) {
    return send(res, 200, { title: "qdrant - vector search engine", version: QDRANT_VERSION, commit: null });
  }
  if (method === "GET" && parts.length === 1) {
    if (parts[0] === "healthz") return sendText(res, 200, "healthz check passed");
    if (parts[0] === "livez") return sendText(res, 200, "livez check passed");
    if (parts[0] === "readyz") return sendText(res, 200, "all shards are ready");
  }
  if (parts[0] === "collections") {
    if (parts.length === 1 && method === "GET") {
      return ok({ collections: [...store.collections.keys()].map((name) => ({ name })) });
    }
    if (parts.length >= 2) {
      const body = method === "GET" ? {} : await readBody(req);
      const result = await handleCollectionRoute(store, {
        method,
        name: parts[1]!,
        rest: parts.slice(2),
        query: url.searchParams,
        body,
      });
      return ok(result);
    }
  }
  throw unsupported(`the endpoint ${method} ${url.pathname}`);
}

export function createEngineServer(store: Store): Server {
  return createServer((req, res) => {
    const started = performance.now();
    route(store, req, res, started).catch((e: unknown) => {
      const status = e instanceof EngineError ? e.httpStatus : 500;
      const message =
        e instanceof EngineError ? e.message : `Service internal error: ${(e as Error)?.message ?? e}`;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, status, { status: { error: message }, time: (performance.now() - started) / 1000 });
    });
  });
}
