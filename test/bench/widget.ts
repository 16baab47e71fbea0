/**
 * npm run bench:widget — the widget's three targets, on this machine:
 *   1. widget.js size, gzip (target ≤ 25 KB);
 *   2. launcher ready after the script has loaded, in Debian's Chromium on localhost (target ≤ 300 ms):
 *      from the widget.js resource's responseEnd to the first frame painted after the launcher exists;
 *   3. what the public message endpoint adds before the model's first token (target p50 ≤ 30 ms):
 *      client-observed time to the first `delta` minus the model call's own time to first token
 *      (usage.ttft_ms, measured from the upstream call's start), against the OpenAI wire stub over HTTP.
 * Writes test/bench/results/widget.json and widget.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { launchChromium } from "../helpers/browser.js";
import { snippetPage, startHostSite, startWidgetWorld } from "../helpers/widget-harness.js";
import { pct } from "./stats.js";

const PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 20);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const PER_CONVERSATION = 10;

const round = (n: number) => Math.round(n * 100) / 100;
const summary = (v: number[]) => ({
  n: v.length,
  p50: round(pct(v, 50)),
  p90: round(pct(v, 90)),
  max: round(Math.max(...v)),
});

async function main() {
  const w = await startWidgetWorld({ dripMs: 0 });
  const site = await startHostSite();
  const embed = await w.createEmbed({
    allowed_origins: [site.origin],
    starter_questions: ["How do I reset the router?"],
  });
  site.pages.set("/", { html: snippetPage(w.api, embed.id) });

  // 2. launcher ready
  const browser = await launchChromium();
  const ready: number[] = [];
  for (let i = 0; i < PAGE_LOADS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.addEventListener("ai-hub-chat:ready", () => {
        const launcher = document.querySelector("ai-hub-chat")?.shadowRoot?.querySelector(".launch");
        if (!launcher) return;
        requestAnimationFrame(() => {
          (window as unknown as { __painted: number }).__painted = performance.now();
        });
      });
    });
    await page.goto(`${site.origin}/`);
    const ms = await page.waitForFunction(() => {
      const painted = (window as unknown as { __painted?: number }).__painted;
      const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/widget.js")) as
        | PerformanceResourceTiming
        | undefined;
      return painted !== undefined && entry ? painted - entry.responseEnd : null;
    });
    ready.push((await ms.jsonValue()) as number);
    await context.close();
  }
  await browser.close();

  // 3. public message endpoint, over HTTP with the page's Origin
  const base = `${w.api}/v1/public/embeds/${embed.id}`;
  const headers = { origin: site.origin, "content-type": "application/json" };
  const added: number[] = [];
  const toFirstDelta: number[] = [];
  const askAdded: number[] = [];
  const firstDeltaAndTtft = async (res: Response, started: number) => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    let first: number | null = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (first === null && value.includes("event: delta")) first = performance.now() - started;
      buf += value;
    }
    const usage = /event: usage\ndata: (.*)/.exec(buf);
    return { first: first!, ttft: usage ? (JSON.parse(usage[1]!) as { ttft_ms: number }).ttft_ms : 0 };
  };
  let conv: { conversation_id: string; conversation_token: string } | null = null;
  for (let i = 0; i < MESSAGES; i++) {
    if (i % PER_CONVERSATION === 0) {
      const r = await fetch(`${base}/conversations`, {
        method: "POST",
        headers,
        body: JSON.stringify({ visitor_id: `bench_visitor_${i}` }),
      });
      conv = (await r.json()) as typeof conv;
    }
    const started = performance.now();
    const res = await fetch(`${base}/conversations/${conv!.conversation_id}/messages`, {
      method: "POST",
      headers: { ...headers, "x-conversation-token": conv!.conversation_token },
      body: JSON.stringify({ question: "How do I reset the router?" }),
    });
    if (res.status !== 200) throw new Error(`message ${i}: ${res.status} ${await res.text()}`);
    const m = await firstDeltaAndTtft(res, started);
    // The same question through /v1/ask with an API key, interleaved: the baseline under the same load.
    const askStarted = performance.now();
    const ask = await fetch(`${w.api}/v1/ask`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.seed.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        question: "How do I reset the router?",
        knowledge_base_ids: [w.seed.kbId],
        top_k: 6,
      }),
    });
    const b = await firstDeltaAndTtft(ask, askStarted);
    if (i >= 10) {
      // the first ten warm up the JIT, the token counter and the connection pools
      toFirstDelta.push(m.first);
      added.push(m.first - m.ttft);
      askAdded.push(b.first - b.ttft);
    }
  }
  await site.close();
  await w.close();

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: (await import("node:os")).cpus().length,
      loadavg: loadavg().map(round),
      node: process.version,
    },
    widget_js: { gzip_bytes: w.widgetGzipBytes, gzip_kb: round(w.widgetGzipBytes / 1024), target_kb: 25 },
    launcher_ready_ms: { ...summary(ready), target_ms: 300 },
    public_message: {
      note: "small knowledge base (4 documents); stub model over HTTP; standalone questions",
      time_to_first_delta_ms: summary(toFirstDelta),
      added_before_first_token_ms: { ...summary(added), target_p50_ms: 30 },
      ask_baseline_added_before_first_token_ms: summary(askAdded),
    },
  };
  writeFileSync("test/bench/results/widget.json", `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Widget benchmark (${result.date})`,
    "",
    `Machine: ${result.machine.cpus} CPUs, load ${result.machine.loadavg.join(" / ")}, Node ${result.machine.node}`,
    "",
    "| Measure | Result | Target |",
    "|---|---|---|",
    `| widget.js gzip | ${result.widget_js.gzip_kb} KB (${result.widget_js.gzip_bytes} bytes) | ≤ 25 KB |`,
    `| launcher ready after widget.js loaded (${ready.length} cold page loads, Chromium) | p50 ${result.launcher_ready_ms.p50} ms, p90 ${result.launcher_ready_ms.p90}, max ${result.launcher_ready_ms.max} | ≤ 300 ms |`,
    `| public message endpoint, added before the model's first token (${added.length} messages) | p50 ${result.public_message.added_before_first_token_ms.p50} ms, p90 ${result.public_message.added_before_first_token_ms.p90}, max ${result.public_message.added_before_first_token_ms.max} | p50 ≤ 30 ms |`,
    `| same question through /v1/ask with an API key, interleaved (baseline under the same load) | p50 ${result.public_message.ask_baseline_added_before_first_token_ms.p50} ms, p90 ${result.public_message.ask_baseline_added_before_first_token_ms.p90} | |`,
    `| client time to first delta | p50 ${result.public_message.time_to_first_delta_ms.p50} ms | |`,
    "",
  ].join("\n");
  writeFileSync("test/bench/results/widget.md", md);
  console.log(md);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
