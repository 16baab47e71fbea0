import { describe, expect, it } from "vitest";
import { renderPrompt } from "../../prompts/index.js";
import { ChatError } from "../../src/models/chat/errors.js";
import { countChatTokens } from "../../src/models/chat/token-count.js";
import { createExtractiveModel, extractiveAnswer } from "../../src/models/extractive/index.js";
import { splitSentences } from "../../src/models/extractive/sentences.js";
import type { ChatEvent } from "../../src/models/types.js";

const en = [
  {
    n: 1,
    text: "The company was founded in 1998. Employees receive 25 vacation days per year. Unused vacation days expire in March.",
  },
  { n: 2, text: "The cafeteria opens at 8 am. Parking is free for employees." },
  { n: 3, text: "Vacation requests must be approved by a manager two weeks in advance!" },
];
const zh = [
  { n: 1, text: "公司成立于1998年。员工每年享有25天年假。未使用的年假将在次年三月失效。" },
  { n: 2, text: "食堂早上八点开门！员工停车免费。" },
];

function citations(answer: string): number[] {
  return [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

describe("extractive answerer", () => {
  it("splits English and Chinese sentences", () => {
    expect(splitSentences(zh[0]!.text)).toEqual([
      "公司成立于1998年。",
      "员工每年享有25天年假。",
      "未使用的年假将在次年三月失效。",
    ]);
    expect(splitSentences("One. Two! Three? 3.5 stays.")).toEqual(["One.", "Two!", "Three?", "3.5 stays."]);
  });

  it("joins wrapped lines and drops chunk-edge fragments and headings", () => {
    const pdfChunk =
      "tree, so we cannot continue recording the outer tree.\nIf this happens during recording, we abort the\n" +
      "outer trace. A trace tree is a tree of traces that\nshare a loop header.\n4.2 Blacklisting with Nesting\n" +
      "The blacklisting algorithm needs";
    expect(splitSentences(pdfChunk)).toEqual([
      "If this happens during recording, we abort the outer trace.",
      "A trace tree is a tree of traces that share a loop header.",
    ]);
    const answer = extractiveAnswer("What is a trace tree?", [{ n: 1, text: pdfChunk }]);
    expect(answer).toContain("A trace tree is a tree of traces that share a loop header. [1]");
    expect(answer).not.toMatch(/needs \[1\]|^tree, so/m);
  });

  it("quotes the matching sentences in source order, each with an existing citation", () => {
    const answer = extractiveAnswer("How many vacation days do employees get?", en);
    expect(answer.startsWith("Extractive answer")).toBe(true);
    expect(answer).toContain("Employees receive 25 vacation days per year. [1]");
    expect(answer).not.toContain("cafeteria");
    expect(answer).not.toContain("1998");
    const cited = citations(answer);
    expect(cited.length).toBeGreaterThanOrEqual(2);
    expect(cited.length).toBeLessThanOrEqual(4);
    for (const n of cited) expect(en.map((s) => s.n)).toContain(n);
    expect(cited).toEqual([...cited].sort((a, b) => a - b));
  });

  it("answers Chinese questions in Chinese from Chinese sources", () => {
    const answer = extractiveAnswer("员工每年有多少天年假？", zh);
    expect(answer.startsWith("抽取式回答")).toBe(true);
    expect(answer).toContain("员工每年享有25天年假。[1]");
    expect(answer).not.toContain("食堂");
    for (const n of citations(answer)) expect([1, 2]).toContain(n);
  });

  it("says it found nothing when no sentence matches", () => {
    expect(extractiveAnswer("What is the boiling point of mercury?", en)).toBe(
      "I found nothing relevant to the question in the retrieved sources.",
    );
    expect(extractiveAnswer("汞的沸点是多少？", zh)).toBe("在检索到的资料中没有找到与该问题相关的内容。");
    expect(extractiveAnswer("vacation", [])).toMatch(/nothing relevant/);
  });

  it("streams the answer built from a rendered prompt in small deltas with estimated usage", async () => {
    const messages = renderPrompt({
      template: "qa",
      question: "How many vacation days do employees get?",
      sources: en.map((s) => ({ ...s, title: `doc ${s.n}` })),
    });
    const model = createExtractiveModel();
    expect(model.id).toBe("extractive");
    const events: ChatEvent[] = [];
    for await (const ev of model.stream(messages, {})) events.push(ev);
    const deltas = events.filter((e) => e.type === "delta").map((e) => e.text);
    expect(deltas.length).toBeGreaterThan(5);
    expect(Math.max(...deltas.map((d) => d.trim().length))).toBeLessThanOrEqual(12);
    expect(deltas.join("")).toBe(extractiveAnswer("How many vacation days do employees get?", en));
    const usage = events.filter((e) => e.type === "usage");
    expect(usage).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: "usage",
      usage: { source: "estimated", cachedInputTokens: 0 },
    });
    const u = (events.at(-1) as Extract<ChatEvent, { type: "usage" }>).usage;
    expect(u.inputTokens).toBe(await countChatTokens(messages));
    expect(u.outputTokens).toBeGreaterThan(0);
  });

  it("throws an aborted ChatError with usage when the signal fires mid-stream", async () => {
    const messages = renderPrompt({
      template: "qa",
      question: "年假有多少天？",
      sources: zh.map((s) => ({ ...s, title: "t" })),
    });
    const ac = new AbortController();
    let seen = 0;
    const err = await (async () => {
      for await (const ev of createExtractiveModel().stream(messages, { signal: ac.signal })) {
        if (ev.type === "delta" && ++seen === 2) ac.abort();
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect(err).toMatchObject({ code: "aborted", beforeFirstToken: false });
    expect((err as ChatError).usage.outputTokens).toBeGreaterThan(0);
  });
});
