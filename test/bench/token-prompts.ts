/**
 * Realistic answer prompts, built the way /v1/ask builds them (src/services/ask/prepare.ts): real
 * documents parsed and chunked by the ingestion code (default 400/60-token chunks), top_k of them numbered
 * as sources (toPromptSources' shape), rendered with a prompts/ template by renderPrompt, earlier turns
 * between the system prompt and the question as withHistory puts them. Plus short ungrounded chats, as
 * /v1/chat/completions sends a caller's own messages (prepareChat). For test/bench/tokens.ts and
 * test/unit/budget-margin.test.ts.
 *
 * Languages:
 *   - en: English PDFs, DOCX, HTML and Markdown from fixtures/ and XQuAD paragraphs; XQuAD questions;
 *   - zh-Hans: CMRC 2018 passages and the Chinese README; CMRC 2018 questions; the Chinese templates;
 *   - zh-Hant: the zh-Hans prompts with sources, titles, questions and earlier turns converted to
 *     Traditional Chinese (Taiwan usage) by opencc-js (no Traditional Chinese text ships in fixtures/);
 *     the template stays the product's one Chinese template;
 *   - code: code and markup as uploaded text: the Qdrant OpenAPI JSON, raw HTML sources, the mammoth
 *     README with its code blocks, and some of this repository's TypeScript; developer questions;
 *   - chat: ungrounded chat completions, one question with or without a one-line system prompt.
 * XQuAD and CMRC 2018 come from $EVAL_DATA_DIR (default /work/shared/data) when present, else from the
 * samples in fixtures/eval.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as OpenCC from "opencc-js";
import { chunkDocument, DEFAULT_CHUNKING } from "../../ingest/chunker/index.js";
import { parseDocument } from "../../ingest/parsers/index.js";
import type { DocFormat } from "../../ingest/types.js";
import { type PromptSource, renderPrompt } from "../../prompts/index.js";
import type { ChatMessage } from "../../src/models/types.js";
import { mulberry32 } from "./stats.js";

export const LANGUAGES = ["en", "zh-Hans", "zh-Hant", "code", "chat"] as const;
export type PromptLanguage = (typeof LANGUAGES)[number];

export interface BenchPrompt {
  id: string;
  language: PromptLanguage;
  template: string;
  topK: number;
  turns: number;
  messages: ChatMessage[];
}

interface Passage {
  title: string;
  pages?: string;
  text: string;
}

const ROOT = join(import.meta.dirname, "../..");
const TEMPLATES = ["qa", "strict", "support-bot"];
/** Retrieval depths: the default 8 most often, from none (nothing found) to the 30 a caller may ask for. */
const TOP_K = [0, 1, 2, 3, 4, 5, 6, 8, 8, 8, 8, 10, 12, 16, 20, 30];

const CODE_QUESTIONS = [
  "How do I create a collection with both dense and sparse vectors?",
  "Which endpoint deletes points by filter, and what does it return?",
  "What does the `payload` field of a scored point contain?",
  "How is a prompt's token count reserved against the budget?",
  "Which options does convertToHtml accept for style mapping?",
  "What HTTP status does the API return when a collection does not exist?",
  "How are chunks cut when a sentence is longer than the chunk size?",
  "Show me how to search with a filter on a keyword field.",
  "What is the default value of `limit` in the search request?",
  "Why would escapeSourceText replace `<source` in document text?",
  "How do I turn off the image conversion in mammoth?",
  "What does the `wait` query parameter change on upsert?",
];

const SYSTEM_LINES = [
  "You are a helpful assistant.",
  "Answer briefly.",
  "你是一个乐于助人的助手。",
  "Reply in the language of the question and keep answers under 100 words.",
];

interface SquadLike {
  data: { title?: string; paragraphs: { context: string; qas: { question: string }[] }[] }[];
}

function squad(file: string, sample: string, dataDir: string | null): SquadLike {
  const shared = dataDir ? join(dataDir, file) : null;
  const path = shared && existsSync(shared) ? shared : join(ROOT, "fixtures/eval", sample);
  return JSON.parse(readFileSync(path, "utf8")) as SquadLike;
}

function squadPassages(s: SquadLike, limit: number): { passages: Passage[]; questions: string[] } {
  const passages: Passage[] = [];
  const questions: string[] = [];
  for (const article of s.data) {
    for (const p of article.paragraphs) {
      if (passages.length < limit)
        passages.push({ title: (article.title ?? "").replace(/_/g, " "), text: p.context });
      for (const q of p.qas) questions.push(q.question);
    }
  }
  return { passages, questions };
}

async function chunks(path: string, format: DocFormat): Promise<Passage[]> {
  const name = path.split("/").pop()!;
  const doc = await parseDocument(new Uint8Array(readFileSync(join(ROOT, path))), format);
  return chunkDocument(doc, DEFAULT_CHUNKING).map((c) => {
    const pages =
      c.pageStart === null
        ? undefined
        : c.pageEnd === null || c.pageEnd === c.pageStart
          ? `${c.pageStart}`
          : `${c.pageStart}-${c.pageEnd}`;
    return { title: doc.title ?? name, text: c.text, ...(pages ? { pages } : {}) };
  });
}

async function corpus(opts: { pdfs: boolean; dataDir: string | null }) {
  const en: Passage[] = [];
  const docs: [string, DocFormat][] = [
    ["fixtures/markdown/qdrant_README.md", "markdown"],
    ["fixtures/markdown/xquad_README.md", "markdown"],
    ["fixtures/markdown/tika_testMARKDOWN.md", "markdown"],
    ["fixtures/html/tika_tika434.html", "html"],
    ["fixtures/html/tika_testHTML.html", "html"],
    ["fixtures/docx/tika_testWORD_various.docx", "docx"],
    ["fixtures/docx/mammoth_tables.docx", "docx"],
  ];
  if (opts.pdfs)
    docs.push(["fixtures/pdf/pdfjs_tracemonkey.pdf", "pdf"], ["fixtures/pdf/pdfjs_freeculture.pdf", "pdf"]);
  for (const [path, format] of docs) en.push(...(await chunks(path, format)));
  const xquad = squadPassages(squad("xquad/xquad.en.json", "xquad-sample.json", opts.dataDir), 240);
  en.push(...xquad.passages);

  const cmrc = squadPassages(
    squad("cmrc2018/cmrc2018_dev.squad-style.json", "cmrc2018-sample.json", opts.dataDir),
    400,
  );
  const zh = [...(await chunks("fixtures/markdown/cmrc2018_README_CN.md", "markdown")), ...cmrc.passages];

  const code: Passage[] = [];
  for (const path of [
    "fixtures/qdrant/qdrant-openapi-v1.19.json",
    "fixtures/html/tika_tika434.html",
    "fixtures/html/tika_testHTML.html",
    "fixtures/markdown/mammoth_README.md",
    "ingest/chunker/assemble.ts",
    "prompts/sources.ts",
    "src/services/ask/prepare.ts",
    "src/models/chat/token-count.ts",
  ])
    code.push(...(await chunks(path, "text")));
  return { en, zh, code, enQuestions: xquad.questions, zhQuestions: cmrc.questions };
}

/**
 * perLanguage prompts for each of en, zh-Hans, zh-Hant and code, and `chats` short chats; the same seed
 * gives the same prompts. pdfs: include the two PDFs (parsing the 352-page book takes a second or two).
 */
export async function buildPrompts(opts: {
  perLanguage: number;
  chats: number;
  seed?: number;
  pdfs?: boolean;
  dataDir?: string | null;
}): Promise<BenchPrompt[]> {
  const dataDir =
    opts.dataDir === undefined ? (process.env.EVAL_DATA_DIR ?? "/work/shared/data") : opts.dataDir;
  const c = await corpus({ pdfs: opts.pdfs ?? true, dataDir });
  const rand = mulberry32(opts.seed ?? 10);
  const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const toHant = OpenCC.Converter({ from: "cn", to: "twp" });
  const same = (s: string) => s;
  const out: BenchPrompt[] = [];

  const make = (
    r: () => number,
    language: PromptLanguage,
    i: number,
    pool: Passage[],
    questions: string[],
    lang: "en" | "zh",
    cv: (s: string) => string = same,
  ): BenchPrompt => {
    const template = pick(r, TEMPLATES);
    const topK = pick(r, TOP_K);
    const turns = r() < 0.25 ? 1 + Math.floor(r() * 3) : 0;
    const sources: PromptSource[] = [];
    for (let n = 1; n <= topK; n++) {
      const p = pick(r, pool);
      sources.push({ n, title: cv(p.title), text: cv(p.text), ...(p.pages ? { pages: p.pages } : {}) });
    }
    const history: ChatMessage[] = [];
    for (let t = 0; t < turns; t++) {
      history.push({ role: "user", content: cv(pick(r, questions)) });
      // An earlier answer: a sentence or two of a source with its citation.
      const answer = pick(r, pool).text.replace(/\s+/g, " ");
      history.push({ role: "assistant", content: cv(`${answer.slice(0, 40 + Math.floor(r() * 200))} [1]`) });
    }
    const [system, user] = renderPrompt({
      template,
      question: cv(pick(r, questions)),
      sources,
      language: lang,
    });
    return {
      id: `${language}-${i}`,
      language,
      template: lang === "zh" ? `${template}.zh` : template,
      topK,
      turns,
      messages: [system!, ...history, user!],
    };
  };

  for (let i = 0; i < opts.perLanguage; i++) {
    out.push(make(rand, "en", i, c.en, c.enQuestions, "en"));
    // The same draws twice: each zh-Hant prompt is its zh-Hans twin, converted.
    const seed = Math.floor(rand() * 2 ** 32);
    out.push(make(mulberry32(seed), "zh-Hans", i, c.zh, c.zhQuestions, "zh"));
    out.push(make(mulberry32(seed), "zh-Hant", i, c.zh, c.zhQuestions, "zh", toHant));
    out.push(make(rand, "code", i, c.code, CODE_QUESTIONS, "en"));
  }
  for (let i = 0; i < opts.chats; i++) {
    const question = rand() < 0.5 ? pick(rand, c.zhQuestions) : pick(rand, c.enQuestions);
    const messages: ChatMessage[] =
      rand() < 0.5
        ? [{ role: "user", content: question }]
        : [
            { role: "system", content: pick(rand, SYSTEM_LINES) },
            { role: "user", content: question },
          ];
    out.push({ id: `chat-${i}`, language: "chat", template: "none", topK: 0, turns: 0, messages });
  }
  return out;
}
