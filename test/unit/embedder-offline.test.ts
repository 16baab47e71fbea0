import { describe, expect, it } from "vitest";
import {
  chunkIndexText,
  createOfflineEmbedder,
  DEFAULT_OFFLINE_CONFIG,
} from "../../src/models/embedders/offline/index.js";
import { fnv1a32 } from "../../src/models/embedders/text-analysis/hash.js";

const TEXTS = [
  "Aspirin reduces the risk of myocardial infarction in patients with coronary disease.",
  "北京大学是中国最早的国立综合性大学之一。",
  "GPT-4模型 supports 128k tokens of context; ＧＰＵ memory is the limit.",
  "",
];

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("createOfflineEmbedder", () => {
  it("names itself after its features and dimension", () => {
    expect(createOfflineEmbedder().id).toBe(`offline-hash-v1-${DEFAULT_OFFLINE_CONFIG.dimension}`);
    const e = createOfflineEmbedder({ dimension: 256 });
    expect(e.id).toBe("offline-hash-v1-256");
    expect(e.dimension).toBe(256);
    const tuned = createOfflineEmbedder({ config: { k1: 0.9 } });
    expect(tuned.id).toMatch(/^offline-hash-v1-\d+-x[0-9a-f]+$/);
    expect(tuned.id).not.toBe(createOfflineEmbedder({ config: { k1: 1.1 } }).id);
  });

  it("rejects a dimension it cannot hash into", () => {
    expect(() => createOfflineEmbedder({ dimension: 0 })).toThrow(/dimension must be an integer/);
    expect(() => createOfflineEmbedder({ dimension: 10.5 })).toThrow(/dimension/);
  });

  it("is deterministic across instances and calls, and free", async () => {
    const a = await createOfflineEmbedder().embedDocuments(TEXTS);
    const b = await createOfflineEmbedder().embedDocuments(TEXTS);
    expect(a).toEqual(b);
    expect(a.tokens).toBe(0);
    expect(a.costMicros).toBe(0);
    const q1 = await createOfflineEmbedder().embedQuery(TEXTS[2]!);
    expect(await createOfflineEmbedder().embedQuery(TEXTS[2]!)).toEqual(q1);
    expect(q1.tokens + q1.costMicros).toBe(0);
  });

  it("returns unit-length dense vectors of the configured dimension (zero for empty text)", async () => {
    const e = createOfflineEmbedder({ dimension: 128 });
    const { dense } = await e.embedDocuments(TEXTS);
    for (const v of dense) expect(v).toHaveLength(128);
    for (const v of dense.slice(0, 3)) expect(norm(v)).toBeCloseTo(1, 6);
    expect(norm(dense[3]!)).toBe(0);
    expect(norm((await e.embedQuery("the of and")).dense)).toBe(0);
  });

  it("emits sparse vectors with unique sorted uint32 indices and positive values", async () => {
    const { sparse } = await createOfflineEmbedder().embedDocuments(TEXTS);
    for (const s of sparse.slice(0, 3)) {
      expect(s.indices.length).toBeGreaterThan(3);
      expect(s.values).toHaveLength(s.indices.length);
      expect(new Set(s.indices).size).toBe(s.indices.length);
      expect([...s.indices].sort((x, y) => x - y)).toEqual(s.indices);
      for (const i of s.indices) expect(Number.isInteger(i) && i >= 0 && i < 2 ** 32).toBe(true);
      for (const v of s.values) expect(v > 0 && Number.isFinite(v)).toBe(true);
    }
    expect(sparse[3]).toEqual({ indices: [], values: [] });
  });

  it("stores BM25 tf saturation in documents: more occurrences help, with diminishing returns", async () => {
    const { k1 } = DEFAULT_OFFLINE_CONFIG;
    const e = createOfflineEmbedder();
    const filler = "alpha beta gamma delta epsilon zeta theta iota kappa lambda";
    const { sparse } = await e.embedDocuments([`insulin ${filler}`, `insulin insulin insulin ${filler}`]);
    const idx = fnv1a32("insulin");
    const w = sparse.map((s) => s.values[s.indices.indexOf(idx)]!);
    expect(w[1]!).toBeGreaterThan(w[0]!);
    expect(w[1]!).toBeLessThan(3 * w[0]!);
    expect(w[1]!).toBeLessThan(k1 + 1);
  });

  it("weights a term higher in a shorter document (length normalisation)", async () => {
    const e = createOfflineEmbedder();
    const long = `insulin ${Array.from({ length: 400 }, (_, i) => `filler${i}`).join(" ")}`;
    const { sparse } = await e.embedDocuments(["insulin resistance", long]);
    const idx = fnv1a32("insulin");
    const [short, longW] = sparse.map((s) => s.values[s.indices.indexOf(idx)]!);
    expect(short!).toBeGreaterThan(longW!);
  });

  it("gives each distinct query term weight 1, ignoring repeats and stop words", async () => {
    const q = await createOfflineEmbedder().embedQuery("What does insulin do to insulin receptors?");
    expect(q.sparse.indices).toEqual([fnv1a32("insulin"), fnv1a32("receptor")].sort((a, b) => a - b));
    expect(q.sparse.values).toEqual([1, 1]);
  });

  it("indexes Chinese as bigrams plus down-weighted unigrams in queries", async () => {
    const e = createOfflineEmbedder({ config: { cjkUnigrams: true, queryUnigramWeight: 0.5 } });
    const q = await e.embedQuery("北京大学");
    expect(q.sparse.indices).toHaveLength(3 + 4);
    expect(q.sparse.values.filter((v) => v === 1)).toHaveLength(3);
    expect(q.sparse.values.filter((v) => v === 0.5)).toHaveLength(4);
  });

  it("ranks the matching document first by dense cosine for a morphological variant", async () => {
    const e = createOfflineEmbedder();
    const docs = await e.embedDocuments([
      "Vaccination campaigns immunized children against measles.",
      "The stock market rallied after the central bank decision.",
    ]);
    const q = await e.embedQuery("immunizing kids with vaccines");
    const cos = docs.dense.map((d) => d.reduce((s, x, i) => s + x * q.dense[i]!, 0));
    expect(cos[0]!).toBeGreaterThan(cos[1]!);
  });

  it("honours an aborted signal", async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(createOfflineEmbedder().embedDocuments(["x"], { signal: ac.signal })).rejects.toThrow();
    await expect(createOfflineEmbedder().embedQuery("x", { signal: ac.signal })).rejects.toThrow();
  });
});

describe("chunkIndexText", () => {
  it("puts the document title before the chunk text", () => {
    expect(chunkIndexText("Annual report", "Revenue grew.")).toBe("Annual report\n\nRevenue grew.");
    expect(chunkIndexText("  ", "Revenue grew.")).toBe("Revenue grew.");
  });
});
