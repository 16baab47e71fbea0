/**
 * Answer quality on product-like documents: each of the twenty solution templates is applied to a fresh
 * organization (its sample documents ingested as the product does), then asked through POST /v1/ask:
 * - its own questions (the starter questions and the golden set): answerable, so abstaining on one is
 *   a false abstention, and a golden question's expected answer should appear in the answer;
 * - general-knowledge questions from Wikipedia reading sets (XQuAD en for English templates, CMRC2018
 *   for Chinese ones; articles of fold 1 only, which the ranker never trained on) and SciFact claims:
 *   out of domain, so they should be abstained on.
 * Templates are folded like articles (even index: fold 0, the only one abstention fitting may use).
 *   npx tsx test/eval/answers/templates.ts --xquad XQUAD.json --cmrc CMRC.json --scifact DIR
 *     [--ood-per-template N] [--dump-cases DIR]
 * With --dump-cases, writes templates-own.jsonl, templates-ood.jsonl and templates-gold.json for
 * train.ts and tune.ts to replay.
 */
import "../../../src/node-check.js";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { templateBundles } from "../../../src/templates/index.js";
import { expectStatus, startProduct } from "../product.js";
import { askAll, type RetrievedCase } from "./ask.js";
import { foldOf, loadForeignQuestions, loadGoldSet } from "./gold.js";
import { containsGold } from "./metrics.js";

export interface TemplateGold {
  /** questionId -> expected answer texts (golden questions only; starters have none). */
  answers: Record<string, string[]>;
  /** questionId -> the fold of the template it was asked of. */
  fold: Record<string, 0 | 1>;
  /** questionId -> the template's language. */
  language: Record<string, "en" | "zh">;
}

/** Every `step`-th question of a list, from `offset`: a deterministic spread over the whole set. */
const spread = <T>(xs: T[], n: number, offset: number) => {
  const step = Math.max(1, Math.floor(xs.length / Math.max(1, n)));
  return Array.from({ length: Math.min(n, xs.length) }, (_, i) => xs[(offset + i * step) % xs.length]!);
};

async function main() {
  const { values } = parseArgs({
    options: {
      xquad: { type: "string" },
      cmrc: { type: "string" },
      scifact: { type: "string" },
      "ood-per-template": { type: "string", default: "20" },
      "dump-cases": { type: "string" },
    },
  });
  if (!values.xquad || !values.cmrc || !values.scifact)
    throw new Error("--xquad XQUAD.json, --cmrc CMRC.json and --scifact DIR are required");
  const perTemplate = Number(values["ood-per-template"]);
  const heldOutQuestions = (path: string) =>
    loadGoldSet(path, "ood").questions.filter((q) => foldOf(q.article) === 1);
  const ood = {
    en: heldOutQuestions(values.xquad),
    zh: heldOutQuestions(values.cmrc),
    scifact: loadForeignQuestions(values.scifact, 10_000),
  };
  const dump = values["dump-cases"];
  const keep = (name: string) => {
    if (!dump) return undefined;
    mkdirSync(dump, { recursive: true });
    const file = join(dump, `${name}.jsonl`);
    writeFileSync(file, "");
    return (c: RetrievedCase) => appendFileSync(file, `${JSON.stringify(c)}\n`);
  };
  const keepOwn = keep("templates-own");
  const keepOod = keep("templates-ood");
  const gold: TemplateGold = { answers: {}, fold: {}, language: {} };
  const tally = {
    en: { own: 0, ownAbstained: 0, golden: 0, goldenHits: 0, ood: 0, oodAbstained: 0 },
    zh: { own: 0, ownAbstained: 0, golden: 0, goldenHits: 0, ood: 0, oodAbstained: 0 },
  };

  const api = await startProduct();
  try {
    for (const [index, b] of templateBundles().entries()) {
      const fold = foldOf(index);
      const lang = b.language === "zh" ? "zh" : "en";
      const tenant = expectStatus(
        await api.call("POST", "/v1/tenants", { key: api.platformKey, body: { name: `eval ${b.id}` } }),
        201,
        "create tenant",
      );
      const key = tenant.key.key as string;
      const applied = expectStatus(
        await api.call("POST", `/v1/templates/${b.id}/apply`, { key, body: {} }),
        201,
        `apply ${b.id}`,
      );
      if (!applied.ready) throw new Error(`eval: template ${b.id} was not ready after applying`);
      const kbId = applied.knowledge_base_id as string;
      const own = [
        ...b.starter_questions.map((text, i) => ({ id: `${b.id}:starter${i}`, text })),
        ...b.golden.questions.map((q, i) => ({ id: `${b.id}:golden${i}`, text: q.question })),
      ];
      b.golden.questions.forEach((q, i) => {
        if (q.expected_answer) gold.answers[`${b.id}:golden${i}`] = [q.expected_answer];
      });
      const foreign = [
        ...spread(ood[lang], perTemplate, index * 7),
        ...(lang === "en" ? spread(ood.scifact, perTemplate / 2, index * 13) : []),
      ].map((q) => ({ id: `${b.id}:ood:${q.id}`, text: q.text }));
      for (const q of [...own, ...foreign]) {
        gold.fold[q.id] = fold;
        gold.language[q.id] = lang;
      }
      const ownAnswers = await askAll(api, { key, kbId, questions: own, keep: keepOwn });
      const oodAnswers = await askAll(api, { key, kbId, questions: foreign, keep: keepOod });
      const t = tally[lang];
      t.own += ownAnswers.length;
      t.ownAbstained += ownAnswers.filter((a) => !a.answerable).length;
      for (const a of ownAnswers) {
        const expected = gold.answers[a.questionId];
        if (!expected) continue;
        t.golden++;
        if (a.answerable && containsGold(a.text, expected)) t.goldenHits++;
      }
      t.ood += oodAnswers.length;
      t.oodAbstained += oodAnswers.filter((a) => !a.answerable).length;
      const abstained = ownAnswers.filter((a) => !a.answerable).map((a) => a.questionId);
      console.log(
        `${b.id} (fold ${fold}): own ${ownAnswers.length}, abstained ${abstained.length}${abstained.length ? ` (${abstained.join(", ")})` : ""}; out of domain abstained ${oodAnswers.filter((a) => !a.answerable).length}/${oodAnswers.length}`,
      );
    }
  } finally {
    await api.close();
  }
  if (dump) writeFileSync(join(dump, "templates-gold.json"), JSON.stringify(gold));
  for (const lang of ["en", "zh"] as const) {
    const t = tally[lang];
    const pct = (a: number, n: number) => `${((100 * a) / Math.max(1, n)).toFixed(1)}%`;
    console.log(
      `${lang}: own questions abstained ${pct(t.ownAbstained, t.own)} of ${t.own}; golden answer recall ${pct(t.goldenHits, t.golden)} of ${t.golden}; out-of-domain abstained ${pct(t.oodAbstained, t.ood)} of ${t.ood}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
