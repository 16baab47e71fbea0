import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { AnswerReport } from "./answers/run.js";
import type { EvalReport } from "./harness.js";

const f4 = (x: number) => x.toFixed(4);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

/** The report as a markdown table (one row per mode, the baseline last) with its context. */
export function toMarkdown(r: EvalReport): string {
  const m = r.machine;
  const lines = [
    `## ${r.dataset.name}: ${r.dataset.docs} documents, ${r.dataset.queries} queries`,
    "",
    `Embedder \`${r.embedder}\`, chunk_size ${r.knowledgeBase.chunkSize} / overlap ${r.knowledgeBase.chunkOverlap}, ` +
      `top_k ${r.topK}. Ingestion: ${r.ingestion.documents} documents -> ${r.ingestion.chunks} chunks in ` +
      `${(r.ingestion.ms / 1000).toFixed(1)} s (${r.ingestion.docsPerSecond.toFixed(1)} docs/s; pipeline ms per doc: ` +
      `${Object.entries(r.ingestion.stageMsPerDoc ?? {})
        .map(([k, v]) => `${k.replace(/_ms$/, "")} ${v}`)
        .join(", ")}).`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node} (${m.platform}). ${r.createdAt}`,
    "",
    "| mode | nDCG@10 | R@1 | R@5 | R@10 | R@100 | MRR@10 | p50 ms | p99 ms |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const x of r.results) {
    const k = x.metrics;
    const latency =
      x.mode === "minisearch"
        ? `${ms(x.latencyMs.mean)}* | -`
        : `${ms(x.latencyMs.p50)} | ${ms(x.latencyMs.p99)}`;
    lines.push(
      `| ${x.mode} | ${f4(k.ndcg10)} | ${f4(k.r1)} | ${f4(k.r5)} | ${f4(k.r10)} | ${f4(k.r100)} | ${f4(k.mrr10)} | ${latency} |`,
    );
  }
  lines.push(
    "",
    "Product modes: every query through POST /v1/search (in-process app.request, embedded engine), " +
      "latency per call. *MiniSearch (BM25+, same documents with titles): in-memory library, amortised time per query.",
  );
  if (r.latencyBreakdown) {
    lines.push(
      "",
      "Search latency by step (each timed on its own, same queries):",
      "",
      "| step | p50 ms | p99 ms |",
      "| --- | --- | --- |",
    );
    for (const s of r.latencyBreakdown) lines.push(`| ${s.step} | ${ms(s.p50)} | ${ms(s.p99)} |`);
  }
  if (r.answers) lines.push("", ...answerLines(r.answers));
  return `${lines.join("\n")}\n`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function answerLines(a: AnswerReport): string[] {
  const lines = [
    "Answers through POST /v1/ask (default model), gold answer text in the answer; fold 0 = even articles (tuning), fold 1 = odd:",
    "",
    "| setting | fold | questions | answer recall | sentences / answer | abstained (answerable) | p50 ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [setting, s] of [
    ["per paragraph", a.perParagraph],
    ["per article", a.perArticle],
  ] as const) {
    for (const [fold, x] of [
      ["all", s.all],
      ["0", s.fold0],
      ["1", s.fold1],
    ] as const) {
      lines.push(
        `| ${setting} | ${fold} | ${x.questions} | ${f4(x.recall)} | ${x.sentencesPerAnswer.toFixed(2)} | ${pct(x.abstained)} | ${ms(x.latencyP50Ms)} |`,
      );
    }
  }
  lines.push(
    "",
    "Abstention (knowledge base of one fold's paragraphs; out-of-domain = the other fold's questions):",
    "",
    "| knowledge base | answerable abstained | out-of-domain abstained | out-of-domain questions |",
    "| --- | --- | --- | --- |",
  );
  for (const h of a.abstention.heldOut)
    lines.push(`| fold ${h.fold} | ${pct(h.answerableAbstained)} | ${pct(h.oodAbstained)} | ${h.ood} |`);
  const f = a.abstention.foreign;
  if (f)
    lines.push(
      "",
      `Questions of ${f.name} asked of the per-paragraph knowledge base: ${pct(f.abstained)} of ${f.questions} abstained.`,
    );
  return lines;
}

/** Writes FILE.json and FILE.md next to it; returns the markdown. */
export async function writeReport(r: EvalReport, jsonPath: string): Promise<string> {
  await mkdir(dirname(jsonPath), { recursive: true });
  await writeFile(jsonPath, `${JSON.stringify(r, null, 2)}\n`);
  const md = toMarkdown(r);
  await writeFile(jsonPath.replace(/\.json$/i, "") + ".md", md);
  return md;
}
