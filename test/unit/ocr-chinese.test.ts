import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { invoke } from "../../src/plugins/package.js";
import type { PluginSandbox } from "../../src/plugins/sandbox/pool.js";
import { SCAN_ZH_TEXT, SCAN_ZH_TITLE } from "../helpers/make-scan-fixture.js";
import { sandboxFromTarball } from "../helpers/plugins.js";

const open: PluginSandbox[] = [];
afterAll(() => {
  for (const s of open) s.close();
});

/** Han characters, letters and digits only: punctuation and spacing are what OCR may render either way. */
const significant = (s: string) => [...s.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, "")];

/** Character recall in reading order: the longest common subsequence over the reference's length. */
function orderedRecall(reference: string, read: string): number {
  const a = significant(reference);
  const b = significant(read);
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const ch of a) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] = ch === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    prev = row;
  }
  return prev[b.length]! / a.length;
}

describe("core plugin: OCR in Simplified Chinese", () => {
  it("reads a 150 dpi Chinese scan (fixtures/pdf/aihub_scan_zh.pdf) in reading order", async () => {
    const s = await sandboxFromTarball("src/plugins/core/ocr", open);
    const scan = readFileSync("fixtures/pdf/aihub_scan_zh.pdf");
    const out = await invoke(
      s,
      "loader",
      "load",
      { bytes: scan.toString("base64"), mediaType: "application/pdf", filename: "lake.pdf" },
      { languages: ["chi_sim"] },
    );
    expect(out.pages.map((p) => p.page)).toEqual([1]);
    const text = out.pages[0]!.text;
    const recall = orderedRecall(`${SCAN_ZH_TITLE}${SCAN_ZH_TEXT}`, text);
    console.log(`chi_sim ordered character recall ${recall.toFixed(4)} (${text.length} characters read)`);
    expect(recall, text).toBeGreaterThanOrEqual(0.95); // measured 0.9608 at 150 dpi (tesseract.js 7, chi_sim best_int)
    // The facts a reader would search for come through whole.
    for (const phrase of ["西藏那曲地区尼玛县", "湖面海拔4528米", "是高原深度旅行的上选"]) {
      expect(text.replace(/\s+/g, ""), text).toContain(phrase);
    }
  }, 240_000);

  it("orderedRecall counts characters in order and ignores punctuation and spaces", () => {
    expect(orderedRecall("湖面海拔4528米。", "湖 面 海 拔 4528 米")).toBe(1);
    expect(orderedRecall("甲乙丙丁", "甲丙")).toBe(0.5);
    expect(orderedRecall("甲乙丙丁", "丁丙乙甲")).toBe(0.25);
  });
});
