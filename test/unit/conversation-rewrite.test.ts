import { describe, expect, it } from "vitest";
import type { ModelInfo } from "../../src/models/registry.js";
import type { ChatModel } from "../../src/models/types.js";
import { withHistory } from "../../src/services/ask/history.js";
import { needsRewrite, standaloneQuestion, type Turn } from "../../src/services/conversations/rewrite.js";

const history: Turn[] = [
  { role: "user", content: "How do I reset the router?" },
  { role: "assistant", content: "Hold the reset button for ten seconds [1]." },
];

function scripted(answer: string | Error): ChatModel & { calls: number } {
  const model = {
    id: "scripted",
    calls: 0,
    async *stream() {
      model.calls++;
      if (answer instanceof Error) throw answer;
      yield { type: "delta" as const, text: answer };
      yield {
        type: "usage" as const,
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, source: "provider" as const },
      };
    },
  };
  return model;
}

describe("standaloneQuestion", () => {
  it("leaves a first question and a self-contained follow-up as typed", async () => {
    expect(await standaloneQuestion({ history: [], question: "and how long?" })).toEqual({
      query: "and how long?",
      method: "none",
    });
    const q = "Which Wi-Fi standard does the router support?";
    expect(await standaloneQuestion({ history, question: q })).toEqual({ query: q, method: "none" });
  });

  it("offline: carries the earlier question's content words over", async () => {
    const r = await standaloneQuestion({ history, question: "and how long does it take?" });
    expect(r.method).toBe("offline");
    expect(r.query).toBe("and how long does it take? reset router");
  });

  it("model: uses the model's rewrite; falls back offline when the model fails", async () => {
    const good = scripted("  “How long does a router reset take?” ");
    expect(await standaloneQuestion({ history, question: "and how long does it take?", chat: good })).toEqual(
      {
        query: "How long does a router reset take?",
        method: "model",
      },
    );
    const broken = scripted(new Error("upstream 500"));
    const r = await standaloneQuestion({ history, question: "what about it?", chat: broken });
    expect(broken.calls).toBe(1);
    expect(r).toEqual({ query: "what about it? reset router", method: "offline" });
  });

  it("detects follow-ups in English and Chinese", () => {
    expect(needsRewrite("and the price?")).toBe(true);
    expect(needsRewrite("那它需要多久？")).toBe(true);
    expect(needsRewrite("价格呢")).toBe(true);
    expect(needsRewrite("路由器如何恢复出厂设置？")).toBe(false);
  });
});

describe("withHistory", () => {
  const info = (contextWindow: number): ModelInfo => ({
    id: "m",
    provider: "p",
    upstream: "gpt-4o-mini",
    contextWindow,
    maxOutputTokens: null,
    price: { inputMicrosPerMillion: 0, outputMicrosPerMillion: 0, cachedInputMicrosPerMillion: 0 },
    priceSource: "free",
  });
  const prompt = [
    { role: "system" as const, content: "Answer from the sources." },
    { role: "user" as const, content: "Question: and then?" },
  ];
  const turns = Array.from({ length: 10 }, (_, i) => ({
    role: (i % 2 ? "assistant" : "user") as "user" | "assistant",
    content: `turn ${i} ${"word ".repeat(40)}`,
  }));

  it("keeps every turn when they fit, between the system prompt and the question", async () => {
    const r = await withHistory(prompt, turns, [{ info: info(100_000), maxTokens: 1000 }]);
    expect(r.keptTurns).toBe(10);
    expect(r.messages[0]!.role).toBe("system");
    expect(r.messages.at(-1)!.content).toBe("Question: and then?");
  });

  it("drops the oldest turns first to fit the smallest window, starting on a user turn", async () => {
    const r = await withHistory(prompt, turns, [
      { info: info(100_000), maxTokens: 1000 },
      { info: info(1000 + 200), maxTokens: 1000 },
    ]);
    expect(r.keptTurns).toBeGreaterThan(0);
    expect(r.keptTurns).toBeLessThan(10);
    const kept = r.messages.slice(1, -1);
    expect(kept[0]!.role).toBe("user");
    expect(kept.at(-1)!.content).toMatch(/^turn 9 /);
  });
});
