/**
 * How far the local prompt count is from what providers count (issue 10: "Reservations cover the
 * provider's count: measure the local tokenizer's error and add the margin").
 *
 * Builds answer prompts the way /v1/ask does (test/bench/token-prompts.ts: real fixture documents and
 * evaluation passages; English, Simplified and Traditional Chinese, code/markup; plus short ungrounded
 * chats), counts each with the function the budget reservation uses (countChatTokens with
 * encodingForModel(upstream), src/services/ask/prepare.ts → reservedPromptTokens) and with the real
 * tokenizer and chat template of each open model family (test/helpers/provider-tokenizers.ts), and
 * reports provider/local per family and language (p50, p99, max).
 *
 * The margin rule (src/services/budgets/margin.ts: reserved = ceil(local × (1 + ratio)) + tokens):
 *   - PROMPT_MARGIN_TOKENS = the largest excess of a family's chat framing over the local framing
 *     (real − local count of conversations whose messages are empty: user alone, system + user, and
 *     system + user + assistant + user), rounded up to a multiple of 8;
 *   - PROMPT_MARGIN_RATIO = the largest (real − PROMPT_MARGIN_TOKENS) / local − 1 over every prompt,
 *     family and language, rounded up to the next 0.05;
 * so every measured prompt's reservation covers its real count. Writes test/bench/results/tokens.json
 * and tokens.md. BENCH_PROMPTS (default 60) prompts per language, BENCH_CHATS (default 30) chats;
 * BENCH_RENDER_ONLY=1 re-renders tokens.md from tokens.json without counting.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { countChatTokens, encodingForModel } from "../../src/models/chat/token-count.js";
import type { ChatMessage } from "../../src/models/types.js";
import {
  PROMPT_MARGIN_RATIO,
  PROMPT_MARGIN_TOKENS,
  reservedPromptTokens,
} from "../../src/services/budgets/margin.js";
import { loadProviderFamilies } from "../helpers/provider-tokenizers.js";
import { pct } from "./stats.js";
import { buildPrompts, LANGUAGES } from "./token-prompts.js";

const PER_LANGUAGE = Number(process.env.BENCH_PROMPTS ?? 60);
const CHATS = Number(process.env.BENCH_CHATS ?? 30);
const OUT = join(import.meta.dirname, "results");

const FRAMING_SHAPES: ChatMessage[][] = [
  [{ role: "user", content: "" }],
  [
    { role: "system", content: "" },
    { role: "user", content: "" },
  ],
  [
    { role: "system", content: "" },
    { role: "user", content: "" },
    { role: "assistant", content: "" },
    { role: "user", content: "" },
  ],
];

const r3 = (x: number) => +x.toFixed(3);

interface Sample {
  family: string;
  language: string;
  id: string;
  local: number;
  real: number;
}

async function measure() {
  const load0 = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const prompts = await buildPrompts({ perLanguage: PER_LANGUAGE, chats: CHATS });
  const tBuilt = performance.now();
  const families = loadProviderFamilies();
  const tLoaded = performance.now();

  const samples: Sample[] = [];
  const framing: { family: string; local: number[]; real: number[]; excess: number }[] = [];
  const countMs: Record<string, number> = {};
  const countCpuMs: Record<string, number> = {};
  for (const f of families) {
    const encoding = encodingForModel(f.upstream);
    const local: number[] = [];
    const real: number[] = [];
    for (const shape of FRAMING_SHAPES) {
      local.push(await countChatTokens(shape, encoding));
      real.push(f.count(shape));
    }
    framing.push({ family: f.id, local, real, excess: Math.max(...real.map((r, i) => r - local[i]!)) });
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (const p of prompts) {
      samples.push({
        family: f.id,
        language: p.language,
        id: p.id,
        local: await countChatTokens(p.messages, encoding),
        real: f.count(p.messages),
      });
    }
    countMs[f.id] = Math.round(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    countCpuMs[f.id] = Math.round((used.user + used.system) / 1000);
  }

  const tokens = Math.ceil(Math.max(0, ...framing.map((f) => f.excess)) / 8) * 8;
  const needed = Math.max(...samples.map((s) => (s.real - tokens) / s.local - 1));
  const ratio = Math.max(0, Math.ceil(needed * 20 - 1e-9) / 20);
  const reserveWith = (local: number, r: number, t: number) => Math.ceil(local * (1 + r)) + t;

  const stat = (xs: Sample[]) => {
    const ratios = xs.map((s) => s.real / s.local);
    const cover = xs.map((s) => reservedPromptTokens(s.local) / s.real);
    const coverRule = xs.map((s) => reserveWith(s.local, ratio, tokens) / s.real);
    const coverOld = xs.map((s) => reserveWith(s.local, 0.25, 32) / s.real);
    return {
      n: xs.length,
      localP50: pct(
        xs.map((s) => s.local),
        50,
      ),
      localMax: Math.max(...xs.map((s) => s.local)),
      ratioP50: r3(pct(ratios, 50)),
      ratioP99: r3(pct(ratios, 99)),
      ratioMax: r3(Math.max(...ratios)),
      ratioMin: r3(Math.min(...ratios)),
      /** min reserved/real with margin.ts as it is when the benchmark runs. */
      coverMin: r3(Math.min(...cover)),
      uncovered: cover.filter((c) => c < 1).length,
      coverMinRule: r3(Math.min(...coverRule)),
      uncoveredOld: coverOld.filter((c) => c < 1).length,
      coverMinOld: r3(Math.min(...coverOld)),
    };
  };

  const rows = families.flatMap((f) =>
    [...LANGUAGES, "all"].map((language) => ({
      family: f.id,
      language,
      ...stat(samples.filter((s) => s.family === f.id && (language === "all" || s.language === language))),
    })),
  );
  const byLanguage = [...LANGUAGES, "all"].map((language) => ({
    language,
    ...stat(samples.filter((s) => language === "all" || s.language === language)),
  }));
  const worst = samples.reduce((a, b) => (b.real / b.local > a.real / a.local ? b : a));
  const worstNeed = samples.reduce((a, b) =>
    (b.real - tokens) / b.local > (a.real - tokens) / a.local ? b : a,
  );
  const cpu = process.cpuUsage(cpu0);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, loadAverage: [r3(load0), r3(loadavg()[0]!)] },
    prompts: {
      total: prompts.length,
      perLanguage: PER_LANGUAGE,
      chats: CHATS,
      topKs: [...new Set(prompts.map((p) => p.topK))].sort((a, b) => a - b),
      withHistory: prompts.filter((p) => p.turns > 0).length,
    },
    families: families.map((f) => ({
      id: f.id,
      label: f.label,
      upstream: f.upstream,
      localEncoding: encodingForModel(f.upstream),
    })),
    framing,
    rule: {
      tokens:
        "max over families of (real − local) for conversations of empty messages, rounded up to a multiple of 8",
      ratio: "max over all prompts of (real − tokens) / local − 1, rounded up to the next 0.05",
      PROMPT_MARGIN_TOKENS: tokens,
      PROMPT_MARGIN_RATIO: ratio,
      neededRatio: r3(needed),
      worstForRule: worstNeed,
      maxRatioSample: worst,
    },
    marginAtRun: { PROMPT_MARGIN_RATIO, PROMPT_MARGIN_TOKENS },
    byLanguage,
    rows,
    timings: {
      buildPromptsMs: Math.round(tBuilt - t0),
      loadTokenizersMs: Math.round(tLoaded - tBuilt),
      countMs,
      countCpuMs,
      cpuSeconds: r3((cpu.user + cpu.system) / 1e6),
    },
  };
  return result;
}

type Result = Awaited<ReturnType<typeof measure>>;

/** The report, from the results alone (BENCH_RENDER_ONLY=1 re-renders tokens.md from tokens.json). */
function render(result: Result): string {
  const { framing, rule, rows, byLanguage, timings } = result;
  const overall = byLanguage.find((r) => r.language === "all")!;
  const label = new Map(result.families.map((f) => [f.id, f.label]));
  const largest = [...framing].sort((a, b) => b.excess - a.excess)[0]!;
  const w = rule.worstForRule;
  const m = rule.maxRatioSample;
  const reserve = `×${1 + rule.PROMPT_MARGIN_RATIO} + ${rule.PROMPT_MARGIN_TOKENS}`;
  const atRun = `×${1 + result.marginAtRun.PROMPT_MARGIN_RATIO} + ${result.marginAtRun.PROMPT_MARGIN_TOKENS}`;
  return [
    "# Prompt tokens: local count vs provider tokenizers (`npm run bench:tokens`)",
    "",
    `${result.date}, Node ${result.node}, ${result.machine.cpus} vCPU, load average ${result.machine.loadAverage.join(" → ")}; ` +
      `${result.prompts.total} prompts (${result.prompts.perLanguage} each in en, zh-Hans, zh-Hant, code; ${result.prompts.chats} short chats), ` +
      `top_k ${result.prompts.topKs.join("/")}, ${result.prompts.withHistory} with earlier turns; ` +
      `CPU ${timings.cpuSeconds} s (tokenizers loaded in ${timings.loadTokenizersMs} ms).`,
    "",
    "Local = `countChatTokens(messages, encodingForModel(upstream))`, the count the budget reservation uses " +
      "(cl100k for all these families). Real = the family's tokenizer with its chat template " +
      "(test/helpers/provider-tokenizers.ts). Ratio = real / local. p99 is the sample at index floor(0.99 n), " +
      "so with fewer than 100 prompts in a row it is their maximum.",
    "",
    "## Margin rule",
    "",
    `- PROMPT_MARGIN_TOKENS = ${rule.tokens} → **${rule.PROMPT_MARGIN_TOKENS}** (largest: ${largest.family}, +${largest.excess}).`,
    `- PROMPT_MARGIN_RATIO = ${rule.ratio} → **${rule.PROMPT_MARGIN_RATIO}** (needed ${rule.neededRatio}: ${w.family} ${w.id}, local ${w.local}, real ${w.real}).`,
    `- Largest real/local: ${r3(m.real / m.local)} (${m.family} ${m.id}, local ${m.local}, real ${m.real}).`,
    `- Reserving ${reserve}: smallest reserved/real over all ${overall.n} samples **${overall.coverMinRule}**, none under-reserved. ` +
      `The earlier chosen ×1.25 + 32 under-reserved ${overall.uncoveredOld} (smallest reserved/real ${overall.coverMinOld}).`,
    `- margin.ts when the counts ran: ${atRun}.`,
    "",
    "## Chat framing alone (empty messages: user; system + user; system + user + assistant + user)",
    "",
    "| Family | Local | Real | Largest excess |",
    "|---|---|---|---:|",
    ...framing.map(
      (f) => `| ${label.get(f.family)} | ${f.local.join(" / ")} | ${f.real.join(" / ")} | ${f.excess} |`,
    ),
    "",
    "## Ratio real / local per family and language",
    "",
    `| Family | Language | Prompts | Local tokens p50 (max) | Ratio p50 | p99 | max | min | Reserved/real min, ${reserve} | Reserved/real min, ×1.25 + 32 |`,
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${label.get(r.family)} | ${r.language} | ${r.n} | ${r.localP50} (${r.localMax}) | ${r.ratioP50} | ${r.ratioP99} | ${r.ratioMax} | ${r.ratioMin} | ${r.coverMinRule} | ${r.coverMinOld} |`,
    ),
    "",
    "## All families, per language",
    "",
    `| Language | Samples | Ratio p50 | p99 | max | Reserved/real min, ${reserve} | Under-reserved, ×1.25 + 32 |`,
    "|---|---:|---:|---:|---:|---:|---:|",
    ...byLanguage.map(
      (r) =>
        `| ${r.language} | ${r.n} | ${r.ratioP50} | ${r.ratioP99} | ${r.ratioMax} | ${r.coverMinRule} | ${r.uncoveredOld} |`,
    ),
    "",
    `Counting time per family (${result.prompts.total} prompts, wall / CPU): ${Object.entries(timings.countMs)
      .map(([k, v]) => `${k} ${v} / ${timings.countCpuMs[k]} ms`)
      .join(", ")}; prompts built in ${timings.buildPromptsMs} ms.`,
    "",
  ].join("\n");
}

let result: Result;
if (process.env.BENCH_RENDER_ONLY) {
  result = JSON.parse(readFileSync(join(OUT, "tokens.json"), "utf8")) as Result;
} else {
  result = await measure();
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "tokens.json"), `${JSON.stringify(result, null, 2)}\n`);
}
const md = render(result);
writeFileSync(join(OUT, "tokens.md"), md);
console.log(md);
