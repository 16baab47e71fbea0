import { readFileSync } from "node:fs";
import type { EvalDoc } from "../tune/datasets.js";

/** A SQuAD-style question with its gold answer texts, its paragraph and its article. */
export interface GoldQuestion {
  id: string;
  text: string;
  answers: string[];
  paragraphId: string;
  article: number;
}

/** A SQuAD-style set kept with its article structure, so it can be indexed per paragraph or per article. */
export interface GoldSet {
  name: string;
  paragraphs: (EvalDoc & { article: number })[];
  questions: GoldQuestion[];
}

interface SquadFile {
  data: {
    title?: string;
    paragraphs: { context: string; qas: { id: string; question: string; answers?: { text: string }[] }[] }[];
  }[];
}

/** Paragraph ids match squadToDataset's ("<article>-<paragraph>"), so one knowledge base serves both evals. */
export function loadGoldSet(path: string, name: string): GoldSet {
  const file = JSON.parse(readFileSync(path, "utf8")) as SquadFile;
  const paragraphs: GoldSet["paragraphs"] = [];
  const questions: GoldQuestion[] = [];
  file.data.forEach((article, a) => {
    article.paragraphs.forEach((p, i) => {
      const id = `${a}-${i}`;
      paragraphs.push({ id, title: (article.title ?? "").replace(/_/g, " "), text: p.context, article: a });
      for (const qa of p.qas) {
        const answers = [...new Set((qa.answers ?? []).map((x) => x.text.trim()).filter(Boolean))];
        if (answers.length)
          questions.push({ id: qa.id, text: qa.question, answers, paragraphId: id, article: a });
      }
    });
  });
  return { name, paragraphs, questions };
}

/** One document per article: its paragraphs joined, so the answer has to be found in a long text. */
export function articleDocs(set: GoldSet): EvalDoc[] {
  const byArticle = new Map<number, EvalDoc>();
  for (const p of set.paragraphs) {
    const doc = byArticle.get(p.article);
    if (doc) doc.text += `\n\n${p.text}`;
    else byArticle.set(p.article, { id: `a${p.article}`, title: p.title, text: p.text });
  }
  return [...byArticle.values()];
}

/**
 * Folds by article, never by question, so a fold's paragraphs never leak into the other: fold 0 holds
 * the even-numbered articles (the development fold the answerer was tuned on), fold 1 the odd ones.
 */
export const foldOf = (article: number): 0 | 1 => (article % 2 === 0 ? 0 : 1);

/** Questions from a BEIR directory (queries.jsonl) or a SQuAD file, used as out-of-domain questions. */
export function loadForeignQuestions(path: string, limit: number): { id: string; text: string }[] {
  if (path.endsWith(".json")) return loadGoldSet(path, "ood").questions.slice(0, limit);
  const dir = path.replace(/\/$/, "");
  return readFileSync(`${dir}/queries.jsonl`, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, limit)
    .map((l) => {
      const q = JSON.parse(l) as { _id: string; text: string };
      return { id: String(q._id), text: q.text };
    });
}
