import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import { countChatTokens, countTextTokens } from "../../src/models/chat/token-count.js";

const ROOT = join(import.meta.dirname, "../..");
// Real documents: a few pieces (rules, long runs) are longer than the slices long pieces are counted in.
const markdown = readdirSync(join(ROOT, "fixtures/markdown"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => readFileSync(join(ROOT, "fixtures/markdown", f), "utf8"));

const SAMPLES = [
  "How do I reset the router? Press button 3 for 10 seconds.",
  "don't won't I'LL we've THEY'RE it's",
  "numbers 1 12 123 1234 12345678901234 3.14159 -42",
  "a   b\n\n\n  c \t\t d\r\n\r\n   ",
  "   leading and trailing spaces   ",
  "如何重置路由器？请按住按钮三秒钟。北京是中国的首都。",
  "emoji 🙂👍🏽 and accents: café naïve Ærøskøbing",
  "supercalifragilisticexpialidocious antidisestablishmentarianism",
  "<|endoftext|> is only text when a user types it <|fim_prefix|>",
  'code: const x = fn(a, b) => { return a ?? b; } // [1][2]\n<source id="1">',
];

describe("token counting", () => {
  for (const [name, ranks, encoding] of [
    ["cl100k_base", cl100k, "cl100k_base"],
    ["o200k_base", o200k, "o200k_base"],
  ] as const) {
    const reference = new Tiktoken(ranks);
    it(`matches js-tiktoken exactly (${name}), on first and cached counts`, async () => {
      for (const text of SAMPLES) {
        const expected = reference.encode(text, [], []).length;
        expect(await countTextTokens(text, encoding)).toBe(expected);
        expect(await countTextTokens(text, encoding)).toBe(expected);
      }
    });

    it(`never undercounts real documents, and overcounts them by under 1% (${name})`, async () => {
      for (const text of markdown) {
        const expected = reference.encode(text, [], []).length;
        const counted = await countTextTokens(text, encoding);
        expect(counted).toBeGreaterThanOrEqual(expected);
        expect(counted).toBeLessThanOrEqual(expected * 1.01);
      }
    });

    it(`counts unbroken runs in slices, never below the exact count (${name})`, async () => {
      // Short runs keep the reference encoder (worse than quadratic) fast enough to compare with.
      for (const run of ["a".repeat(480), "中".repeat(480), ".".repeat(480), "🙂".repeat(240)]) {
        const expected = reference.encode(run, [], []).length;
        const counted = await countTextTokens(run, encoding);
        expect(counted).toBeGreaterThanOrEqual(expected);
        // Each 48-character slice ends its last token early: at most two more tokens per slice.
        expect(counted).toBeLessThanOrEqual(expected + 2 * Math.ceil(run.length / 48));
      }
    });
  }

  it("counts chat messages with OpenAI's framing (3 per message + role, 3 to prime the reply)", async () => {
    const reference = new Tiktoken(cl100k);
    const messages = [
      { role: "system" as const, content: "Answer from the sources." },
      { role: "user" as const, content: "What is the capital of France?" },
    ];
    const expected =
      3 +
      messages.reduce(
        (n, m) => n + 3 + reference.encode(m.role).length + reference.encode(m.content).length,
        0,
      );
    expect(await countChatTokens(messages)).toBe(expected);
    expect(await countTextTokens("")).toBe(0);
  });
});
