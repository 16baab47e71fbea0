import { expectStatus, type ProductApi } from "../product.js";
import { type AskedAnswer, countSentences } from "./metrics.js";

/** What the offline tuning harness replays: the question and the sources /v1/ask retrieved for it. */
export interface RetrievedCase {
  questionId: string;
  question: string;
  sources: { n: number; title: string; text: string; score: number }[];
}

// The answerer before `answerable` existed said so in words; kept so the "before" run can be measured.
const OLD_NOTHING = ["I found nothing relevant to the question", "没有找到与该问题相关的内容"];

/**
 * Asks every question through POST /v1/ask (stream: false, the default model), one at a time like a
 * single client. `keep` receives each question's retrieved sources, for offline replay.
 */
export async function askAll(
  api: ProductApi,
  opts: {
    key: string;
    kbId: string;
    questions: { id: string; text: string }[];
    template?: string;
    keep?: (c: RetrievedCase) => void;
  },
): Promise<AskedAnswer[]> {
  const out: AskedAnswer[] = [];
  for (const q of opts.questions) {
    const body = {
      question: q.text,
      knowledge_base_ids: [opts.kbId],
      stream: false,
      ...(opts.template ? { template: opts.template } : {}),
    };
    const started = performance.now();
    const res = await api.call("POST", "/v1/ask", { key: opts.key, body });
    const latencyMs = performance.now() - started;
    const data = expectStatus(res, 200, `ask for question ${q.id}`);
    const answer = data.answers[0] as { text: string; answerable?: boolean };
    const answerable =
      answer.answerable === undefined ? !OLD_NOTHING.some((s) => answer.text.includes(s)) : answer.answerable;
    out.push({
      questionId: q.id,
      text: answer.text,
      answerable,
      sentences: answerable ? countSentences(answer.text) : 0,
      latencyMs,
    });
    opts.keep?.({
      questionId: q.id,
      question: q.text,
      sources: (data.sources as RetrievedCase["sources"]).map((s) => ({
        n: s.n,
        title: s.title,
        text: s.text,
        score: s.score,
      })),
    });
  }
  return out;
}
