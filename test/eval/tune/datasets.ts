import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface EvalDoc {
  id: string;
  title: string;
  text: string;
}

export interface EvalQuery {
  id: string;
  text: string;
}

/** A retrieval test set: qrels maps query id -> (doc id -> graded relevance > 0). */
export interface EvalDataset {
  name: string;
  docs: EvalDoc[];
  queries: EvalQuery[];
  qrels: Map<string, Map<string, number>>;
}

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** BEIR layout: corpus.jsonl (_id/title/text), queries.jsonl, qrels/<split>.tsv (with header). */
export function loadBeir(dir: string, split = "train", name = "beir"): EvalDataset {
  const qrels = new Map<string, Map<string, number>>();
  const lines = readFileSync(join(dir, "qrels", `${split}.tsv`), "utf8")
    .split("\n")
    .slice(1);
  for (const line of lines) {
    const [qid, did, score] = line.trim().split("\t");
    if (!qid || !did || Number(score) <= 0) continue;
    if (!qrels.has(qid)) qrels.set(qid, new Map());
    qrels.get(qid)!.set(did, Number(score));
  }
  const docs = readJsonl(join(dir, "corpus.jsonl")).map((d) => ({
    id: String(d._id),
    title: String(d.title ?? ""),
    text: String(d.text ?? ""),
  }));
  const queries = readJsonl(join(dir, "queries.jsonl"))
    .map((q) => ({ id: String(q._id), text: String(q.text) }))
    .filter((q) => qrels.has(q.id));
  return { name, docs, queries, qrels };
}

interface SquadFile {
  data: { title?: string; paragraphs: { context: string; qas: { id: string; question: string }[] }[] }[];
}

/** SQuAD-style JSON: every paragraph is a document and is the one relevant doc for its questions. */
export function loadSquad(path: string, name = "squad"): EvalDataset {
  return squadToDataset(JSON.parse(readFileSync(path, "utf8")) as SquadFile, name);
}

export function squadToDataset(file: SquadFile, name: string): EvalDataset {
  const docs: EvalDoc[] = [];
  const queries: EvalQuery[] = [];
  const qrels = new Map<string, Map<string, number>>();
  file.data.forEach((article, a) => {
    article.paragraphs.forEach((p, i) => {
      const id = `${a}-${i}`;
      docs.push({ id, title: (article.title ?? "").replace(/_/g, " "), text: p.context });
      for (const qa of p.qas) {
        queries.push({ id: qa.id, text: qa.question });
        qrels.set(qa.id, new Map([[id, 1]]));
      }
    });
  });
  return { name, docs, queries, qrels };
}

/** Chinese/Japanese text gets MiniSearch's bigram tokenizer in the baseline, as a user would set up. */
export function isCjkDataset(ds: EvalDataset): boolean {
  const sample = ds.docs
    .slice(0, 50)
    .map((d) => d.text)
    .join("");
  const cjk = sample.match(/\p{sc=Han}|\p{sc=Hiragana}|\p{sc=Katakana}/gu)?.length ?? 0;
  return cjk > sample.length * 0.3;
}
