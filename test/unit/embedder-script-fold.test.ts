import { describe, expect, it } from "vitest";
import { createOfflineEmbedder } from "../../src/models/embedders/offline/index.js";
import { analyze } from "../../src/models/embedders/text-analysis/analyze.js";
import { foldChineseScript } from "../../src/models/embedders/text-analysis/script-fold.js";
import type { SparseVector } from "../../src/vector/types.js";

// Real passages written for this test: one Simplified pair of topics, the question in Traditional.
const DOCS = [
  "北京大学图书馆是中国最早的现代新型图书馆之一，藏书丰富，读者来自世界各地。",
  "台湾的高铁连接台北与高雄，全程约九十分钟，每天发车一百多班。",
];
const TRADITIONAL_QUESTION = "臺灣高鐵連接哪兩個城市？";
const SIMPLIFIED_AND_ENGLISH = [
  "Aspirin reduces the risk of myocardial infarction in patients with coronary disease.",
  "什么是追踪树？后来他在干燥的地方工作。",
  "GPT-4模型 supports 128k tokens of context.",
];

const dot = (q: SparseVector, d: SparseVector) => {
  const weights = new Map(d.indices.map((i, j) => [i, d.values[j]!]));
  return q.indices.reduce((s, i, j) => s + q.values[j]! * (weights.get(i) ?? 0), 0);
};

describe("foldChineseScript", () => {
  it("folds Traditional characters (Taiwan and Hong Kong variants too) to Simplified", () => {
    expect(foldChineseScript("什麼是追蹤樹")).toBe("什么是追踪树");
    expect(foldChineseScript("臺灣")).toBe("台湾");
    expect(foldChineseScript("裡面")).toBe("里面");
    expect(foldChineseScript("為了")).toBe("为了");
  });

  it("leaves Simplified characters alone and is idempotent", () => {
    for (const s of ["什么是追踪树", "后来", "干燥", "台湾", "里面"]) {
      expect(foldChineseScript(s)).toBe(s);
    }
    for (const s of ["什麼是追蹤樹", "臺灣高鐵", "發展與頭髮"]) {
      expect(foldChineseScript(foldChineseScript(s))).toBe(foldChineseScript(s));
    }
  });

  it("keeps the original run beside the folded one in analysis", () => {
    expect(analyze("臺灣 high-speed")).toEqual([
      { kind: "cjk", text: "台湾", unfolded: "臺灣" },
      { kind: "word", term: "high" },
      { kind: "word", term: "speed" },
    ]);
    expect(analyze("臺灣", { foldScript: false })).toEqual([{ kind: "cjk", text: "臺灣" }]);
  });
});

describe("offline embedder with script folding", () => {
  it("finds a Simplified passage with a Traditional question", async () => {
    const e = createOfflineEmbedder();
    const docs = await e.embedDocuments(DOCS);
    const q = await e.embedQuery(TRADITIONAL_QUESTION);
    expect(dot(q.sparse, docs.sparse[1]!)).toBeGreaterThan(dot(q.sparse, docs.sparse[0]!) + 1);

    const unfolded = createOfflineEmbedder({ config: { foldScript: false } });
    const before = await unfolded.embedDocuments(DOCS);
    const qBefore = await unfolded.embedQuery(TRADITIONAL_QUESTION);
    // Without folding only the characters both scripts share match (连接 is 連接 in Traditional).
    expect(dot(qBefore.sparse, before.sparse[1]!)).toBeLessThan(dot(q.sparse, docs.sparse[1]!) / 2);
  });

  it("indexes Simplified and English text exactly as before folding existed", async () => {
    const folded = createOfflineEmbedder();
    const unfolded = createOfflineEmbedder({ config: { foldScript: false, queryUnfoldedWeight: 0 } });
    expect(await folded.embedDocuments(SIMPLIFIED_AND_ENGLISH)).toEqual(
      await unfolded.embedDocuments(SIMPLIFIED_AND_ENGLISH),
    );
    for (const t of SIMPLIFIED_AND_ENGLISH) {
      expect(await folded.embedQuery(t)).toEqual(await unfolded.embedQuery(t));
    }
  });

  it("still answers Traditional questions from chunks indexed before folding", async () => {
    const traditionalDocs = DOCS.map((d) => `${d.replace("台湾", "臺灣").replace("高铁", "高鐵")}`);
    const old = await createOfflineEmbedder({ config: { foldScript: false } }).embedDocuments(
      traditionalDocs,
    );
    const q = await createOfflineEmbedder().embedQuery(TRADITIONAL_QUESTION);
    expect(dot(q.sparse, old.sparse[1]!)).toBeGreaterThan(dot(q.sparse, old.sparse[0]!) + 1);
  });
});
