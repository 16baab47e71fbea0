import { beforeAll, describe, expect, it } from "vitest";
import { countChatTokens, encodingForModel } from "../../src/models/chat/token-count.js";
import type { ChatMessage } from "../../src/models/types.js";
import { reservedPromptTokens } from "../../src/services/budgets/margin.js";
import { type BenchPrompt, buildPrompts } from "../bench/token-prompts.js";
import { loadProviderFamilies, type ProviderFamily } from "../helpers/provider-tokenizers.js";

/**
 * The budget reservation's prompt margin (src/services/budgets/margin.ts) against real provider
 * tokenizers and chat templates: a small sample of the prompts `npm run bench:tokens` measures
 * (fixture documents only, no PDFs), recounted here with the local counter the reservation uses and
 * with each family's tokenizer.
 */
describe("prompt reservation margin", () => {
  let families: ProviderFamily[];
  let prompts: BenchPrompt[];

  beforeAll(async () => {
    prompts = await buildPrompts({ perLanguage: 2, chats: 6, seed: 10, pdfs: false, dataDir: null });
    // Framing alone: what a tiny chat completion costs in each family's template.
    prompts.push(
      ...(
        [
          [{ role: "user", content: "hi" }],
          [
            { role: "system", content: "" },
            { role: "user", content: "?" },
          ],
        ] as ChatMessage[][]
      ).map((messages, i) => ({
        id: `tiny-${i}`,
        language: "chat" as const,
        template: "none",
        topK: 0,
        turns: 0,
        messages,
      })),
    );
    families = loadProviderFamilies();
  }, 180_000);

  it("covers every family's real count of every sample prompt", async () => {
    expect(new Set(prompts.map((p) => p.language))).toEqual(
      new Set(["en", "zh-Hans", "zh-Hant", "code", "chat"]),
    );
    const under: string[] = [];
    let localShort = 0;
    for (const f of families) {
      const encoding = encodingForModel(f.upstream);
      for (const p of prompts) {
        const local = await countChatTokens(p.messages, encoding);
        const real = f.count(p.messages);
        expect(real).toBeGreaterThan(0);
        if (real > local) localShort++;
        if (reservedPromptTokens(local) < real)
          under.push(
            `${f.id} ${p.id}: local ${local}, reserved ${reservedPromptTokens(local)}, real ${real}`,
          );
      }
    }
    // The margin is needed: the local count alone falls short of some provider's count.
    expect(localShort).toBeGreaterThan(0);
    expect(under).toEqual([]);
  }, 180_000);
});
