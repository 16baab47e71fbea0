import { describe, expect, it } from "vitest";
import { analyze, cjkGrams, sparseTerms } from "../../src/models/embedders/text-analysis/analyze.js";
import { fnv1a32 } from "../../src/models/embedders/text-analysis/hash.js";
import { normalizeText, segment } from "../../src/models/embedders/text-analysis/tokenize.js";

const words = (text: string) =>
  analyze(text).flatMap((u) => (u.kind === "word" ? [u.term] : [`[${u.text}]`]));

describe("tokenizer", () => {
  it("separates CJK runs from word runs in mixed-script text", () => {
    expect(segment("Hello, 世界! GPT-4模型很好")).toEqual([
      { kind: "word", text: "hello" },
      { kind: "cjk", text: "世界" },
      { kind: "word", text: "gpt" },
      { kind: "word", text: "4" },
      { kind: "cjk", text: "模型很好" },
    ]);
  });

  it("keeps kana (with the prolonged sound mark) and Hangul as CJK runs", () => {
    expect(segment("東京タワーへ行く 서울대학교")).toEqual([
      { kind: "cjk", text: "東京タワーへ行く" },
      { kind: "cjk", text: "서울대학교" },
    ]);
  });

  it("folds full-width forms and case with NFKC and strips English clitics", () => {
    expect(normalizeText("ＡＢＣ１２３")).toBe("abc123");
    expect(words("The patient's doctor didn't agree")).toEqual(["patient", "doctor", "agre"]);
  });

  it("keeps letters of other scripts and accented words unstemmed", () => {
    expect(words("Ärzte naïve Москва")).toEqual(["ärzte", "naïve", "москва"]);
  });
});

describe("English analysis", () => {
  it("drops stop words and applies Porter stemming", () => {
    expect(words("The running dogs were running in the parks")).toEqual(["run", "dog", "run", "park"]);
  });

  it("keeps numbers and alphanumerics, and short words such as the T in T cells", () => {
    expect(words("IL-6 levels rose 25% in T cells by 2018")).toEqual([
      "il",
      "6",
      "level",
      "rose",
      "25",
      "t",
      "cell",
      "2018",
    ]);
  });
});

describe("CJK n-grams", () => {
  it("cuts runs into overlapping bigrams, optionally adding unigrams", () => {
    expect(cjkGrams("北京大学", false)).toEqual(["北京", "京大", "大学"]);
    expect(cjkGrams("北京大学", true)).toEqual(["北京", "京大", "大学", "北", "京", "大", "学"]);
    expect(cjkGrams("书", false)).toEqual(["书"]);
  });

  it("produces sparse terms for mixed text in reading order", () => {
    expect(sparseTerms(analyze("我爱Python编程"), { cjkUnigrams: false })).toEqual([
      "我爱",
      "python",
      "编程",
    ]);
  });

  it("handles astral-plane Han characters as single characters", () => {
    expect(cjkGrams("𠀀𠀁", false)).toEqual(["𠀀𠀁"]);
    expect(segment("a𠀀𠀁b").map((s) => s.kind)).toEqual(["word", "cjk", "word"]);
  });
});

describe("fnv1a32", () => {
  it("matches the reference FNV-1a values and stays unsigned", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });
});
