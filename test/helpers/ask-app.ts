/**
 * An app wired for search and ask tests: a real database, the embedded vector engine, the offline
 * embedder, and chat models served by the OpenAI stub through the real @langchain/openai client.
 */
import { builtinCatalog } from "../../src/models/catalog/index.js";
import { createModelRegistry, type ModelConfig } from "../../src/models/registry.js";
import type { Embedder } from "../../src/models/types.js";
import type { RateLimiter } from "../../src/ratelimit/types.js";
import { createTestApp, type TestApp } from "./app.js";
import { type DbKind, openTestDatabase } from "./database.js";
import { type OpenAIStub, type OpenAIStubOptions, startOpenAIStub } from "./openai-stub.js";
import { indexDocument, type SearchFixture, startSearchFixture } from "./search-index.js";

/** Whole dollars per million tokens, so every cost is an exact integer number of micro-dollars. */
export const STUB_PRICE = { input: 2, output: 5 };

export const STUB_MODELS: ModelConfig[] = [
  { id: "alpha", provider: "stub", upstream: "stub-ok", price: STUB_PRICE },
  { id: "bravo", provider: "stub", upstream: "stub-echo", price: STUB_PRICE },
  { id: "broken", provider: "stub", upstream: "stub-500", price: STUB_PRICE },
  { id: "limited", provider: "stub", upstream: "stub-429", price: STUB_PRICE },
  { id: "midstream", provider: "stub", upstream: "stub-500-midstream", price: STUB_PRICE },
  { id: "drip", provider: "stub", upstream: "stub-drip", price: STUB_PRICE },
  { id: "nousage", provider: "stub", upstream: "stub-nousage", price: STUB_PRICE },
  // Upstream name from the built-in catalog: priced from the catalog (the stub answers any name).
  { id: "gpt-4o-mini", provider: "stub" },
];

export interface AskTestApp {
  t: TestApp;
  fx: SearchFixture;
  stub: OpenAIStub;
  close(): Promise<void>;
}

export async function startAskTestApp(
  kind: DbKind,
  opts: {
    models?: ModelConfig[] | null;
    stub?: OpenAIStubOptions;
    env?: Record<string, string>;
    rateLimiter?: RateLimiter;
    /** Builds the embedder from the stub (billed embeddings); default: the offline embedder. */
    embedder?: (stub: OpenAIStub) => Embedder;
  } = {},
): Promise<AskTestApp> {
  const db = await openTestDatabase(kind);
  const stub = await startOpenAIStub(opts.stub);
  const fx = await startSearchFixture(opts.embedder ? { embedder: opts.embedder(stub) } : {});
  const models =
    opts.models === null
      ? undefined
      : createModelRegistry({
          providers: [{ id: "stub", baseURL: stub.baseURL, apiKey: "sk-test" }],
          models: opts.models ?? STUB_MODELS,
          catalog: builtinCatalog,
        });
  const t = await createTestApp(
    db,
    {
      vectors: fx.vectors,
      embedder: fx.embedder,
      ...(models ? { models } : {}),
      ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}),
    },
    opts.env,
  );
  return {
    t,
    fx,
    stub,
    async close() {
      await stub.close();
      await fx.close();
      await db.cleanup();
    },
  };
}

/** A tenant with one knowledge base holding two small documents about European capitals. */
export async function seedGeography(a: AskTestApp, name = "Geo", budgetUsd?: number) {
  const r = await a.t.call("POST", "/v1/tenants", {
    body: { name, ...(budgetUsd !== undefined ? { monthly_budget_usd: budgetUsd } : {}) },
  });
  if (r.status !== 201) throw new Error(`tenant create failed: ${JSON.stringify(r.body)}`);
  const tenantId: string = r.body.tenant.id;
  const adminKey: string = r.body.key.key;
  const kb = await a.t.call("POST", "/v1/knowledge-bases", {
    key: adminKey,
    body: { name: "Capitals", language: "en" },
  });
  const kbId: string = kb.body.id;
  const france = await indexDocument(a.t.deps.database, a.fx, {
    tenantId,
    kbId,
    title: "France guide",
    metadata: { region: "west" },
    chunks: [
      {
        text: "Paris is the capital of France. The Eiffel Tower stands in Paris.",
        pageStart: 1,
        headingPath: ["France"],
      },
      {
        text: "France borders Spain, Italy and Germany. Its currency is the euro.",
        pageStart: 2,
        pageEnd: 3,
      },
    ],
  });
  const poland = await indexDocument(a.t.deps.database, a.fx, {
    tenantId,
    kbId,
    title: "Poland guide",
    metadata: { region: "east" },
    chunks: [
      { text: "Warsaw is the capital of Poland. The Vistula river flows through Warsaw.", pageStart: 7 },
    ],
  });
  return { tenantId, adminKey, kbId, france, poland };
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Parses a complete SSE body into events (data lines joined, JSON-decoded). */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    events.push({ event, data: JSON.parse(data.join("\n")) });
  }
  return events;
}

/** POSTs /v1/ask in-process and returns the parsed SSE events (or the JSON body when not streamed). */
export async function ask(t: TestApp, key: string, body: Record<string, unknown>) {
  const res = await t.app.request("/v1/ask", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const isSse = res.headers.get("content-type")?.startsWith("text/event-stream");
  return {
    status: res.status,
    headers: res.headers,
    events: isSse ? parseSse(text) : [],
    body: isSse ? null : JSON.parse(text),
  };
}
