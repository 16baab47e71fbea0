import { describe, expect, it } from "vitest";
import { sampleText, TemplateBundleSchema } from "../../src/templates/bundle.js";
import { templateBundles } from "../../src/templates/index.js";

const bundles = templateBundles();
/** Han characters count as words for the "few hundred words" rule: one Han character is about one word. */
const words = (text: string) =>
  (text.match(/[A-Za-z0-9]+/g)?.length ?? 0) + (text.match(/\p{Script=Han}/gu)?.length ?? 0);

describe("solution-template bundles", () => {
  it("holds twenty valid bundles with distinct ids, three or more in Chinese", () => {
    expect(bundles).toHaveLength(20);
    expect(new Set(bundles.map((b) => b.id)).size).toBe(20);
    expect(bundles.filter((b) => b.language === "zh").length).toBeGreaterThanOrEqual(3);
  });

  it("covers the issue's examples", () => {
    const ids = bundles.map((b) => b.id);
    for (const id of [
      "customer-support-faq",
      "it-helpdesk",
      "hr-handbook",
      "product-manuals",
      "api-docs-assistant",
      "contract-qa",
      "academic-papers",
      "internal-wiki",
      "ecommerce-product-qa",
      "policy-regulations-zh",
    ]) {
      expect(ids).toContain(id);
    }
  });

  it("ships sample documents of a few hundred words, each with its licence and source", () => {
    for (const b of bundles) {
      for (const d of b.sample_documents) {
        expect(d.licence, `${b.id}/${d.filename}`).toBe("CC0-1.0");
        expect(d.source.length).toBeGreaterThan(10);
        expect(words(sampleText(d)), `${b.id}/${d.filename}`).toBeGreaterThanOrEqual(200);
      }
    }
  });

  it("every golden answer phrase is in the document it names (the set can be met)", () => {
    const squash = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
    for (const b of bundles) {
      for (const q of b.golden.questions) {
        const doc = b.sample_documents.find((d) => d.filename === q.expected_document)!;
        expect(squash(sampleText(doc)), `${b.id}: ${q.question}`).toContain(squash(q.expected_answer));
      }
    }
  });

  it("leaves the widget's allowed origins empty and names every text in English", () => {
    for (const b of bundles) {
      expect(b.embed.allowed_origins).toEqual([]);
      expect(b.name.en.length).toBeGreaterThan(2);
      expect(b.description.en.length).toBeGreaterThan(10);
    }
  });

  it("refuses a bundle whose golden question names a document it does not ship", () => {
    const bad = structuredClone(bundles[0]!) as Record<string, any>;
    bad.golden.questions[0].expected_document = "missing.md";
    const r = TemplateBundleSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join(".")).toBe("golden.questions.0.expected_document");
    const overlap = structuredClone(bundles[0]!) as Record<string, any>;
    overlap.knowledge_base.chunk_overlap = overlap.knowledge_base.chunk_size;
    expect(TemplateBundleSchema.safeParse(overlap).success).toBe(false);
  });
});
