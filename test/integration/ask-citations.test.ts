import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

describe("the extractive default model and citations (no provider configured)", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  let other: Awaited<ReturnType<typeof seedGeography>>;

  beforeAll(async () => {
    a = await startAskTestApp("pglite", { models: null });
    geo = await seedGeography(a, "Mine");
    other = await seedGeography(a, "Theirs");
  });
  afterAll(async () => a?.close());

  it("lists only the free extractive model, as the default", async () => {
    const r = await a.t.call("GET", "/v1/models", { key: geo.adminKey });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      object: "list",
      default_model: "extractive",
      embedding_model: a.fx.embedder.id,
      // No embedder plugin is enabled here: the deployment's embedder is the only one listed.
      embedding_models: [a.fx.embedder.id],
      data: [
        {
          id: "extractive",
          object: "model",
          created: expect.any(Number),
          owned_by: "offline",
          provider: "offline",
          context_window: null,
          max_output_tokens: null,
          price: {
            input_per_million_micros: 0,
            input_per_million_usd: "0.000000",
            output_per_million_micros: 0,
            output_per_million_usd: "0.000000",
            cached_input_per_million_micros: 0,
            cached_input_per_million_usd: "0.000000",
            source: "free",
          },
          default: true,
        },
      ],
    });
  });

  it("answers with [n] citations that each map to a source, at $0", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "What is the capital of Poland?",
      knowledge_base_ids: [geo.kbId],
    });
    expect(r.status).toBe(200);
    const sources = r.events[0]!.data.sources;
    const text = r.events
      .filter((e) => e.event === "delta")
      .map((e) => e.data.text)
      .join("");
    expect(text).toMatch(/^Extractive answer/);
    expect(text).toContain("Warsaw is the capital of Poland.");
    const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(0);
    const byN = new Map(sources.map((s: any) => [s.n, s]));
    for (const n of cited) expect(byN.has(n)).toBe(true);
    const warsaw = text.match(/Warsaw is the capital of Poland\. \[(\d+)\]/)!;
    expect(byN.get(Number(warsaw[1]))).toMatchObject({ document_id: geo.poland.documentId, page_start: 7 });
    const usage = r.events.find((e) => e.event === "usage")!.data;
    expect(usage).toMatchObject({
      model: "extractive",
      status: "ok",
      cost_micros: 0,
      usage_source: "estimated",
    });
    const done = r.events.at(-1)!.data;
    expect(done.models[0].citations).toEqual([...new Set(cited)].sort());
    expect(done.models[0].unknown_citations).toEqual([]);
  });

  it("never cites another tenant's documents; their knowledge base is a 404 before anything streams", async () => {
    const cross = await ask(a.t, geo.adminKey, {
      question: "Capital of Poland?",
      knowledge_base_ids: [other.kbId],
    });
    expect(cross.status).toBe(404);
    expect(cross.body.code).toBe("not_found");
    const mine = await ask(a.t, geo.adminKey, {
      question: "Capital of Poland?",
      knowledge_base_ids: [geo.kbId],
      top_k: 100,
    });
    const docs = mine.events[0]!.data.sources.map((s: any) => s.document_id);
    expect(docs.length).toBe(3);
    for (const d of [other.france.documentId, other.poland.documentId]) expect(docs).not.toContain(d);
  });
});
