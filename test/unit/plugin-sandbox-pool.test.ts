import { resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { invoke, readManifest } from "../../src/plugins/package.js";
import { type PluginLane, PluginSandbox, type PoolOptions } from "../../src/plugins/sandbox/pool.js";

/**
 * A plugin's calls spread over a pool of sandbox processes (issue 19): a search's query embedding must
 * not wait behind a slow ingestion call of the same plugin. tiny-embedder's `delayMs` makes a call slow.
 */
const dir = resolve("fixtures/plugins/tiny-embedder");
const open: PluginSandbox[] = [];
async function pool(opts: PoolOptions = {}) {
  const s = new PluginSandbox(dir, await readManifest(dir), opts);
  open.push(s);
  return s;
}
afterAll(() => {
  for (const s of open) s.close();
});

/** Starts an embed call in `lane`; `finished` records the order calls ended in. */
function embed(s: PluginSandbox, lane: PluginLane, delayMs: number, finished: string[], name: string) {
  return invoke(s, "embedder", "embed", { texts: [name] }, { delayMs }, lane).then(
    (out) => {
      finished.push(name);
      return out;
    },
    (err: { code: string }) => {
      finished.push(`${name}:${err.code}`);
      throw err;
    },
  );
}

describe("plugin sandbox pool", () => {
  it("answers an interactive call while a slow background call of the same plugin runs", async () => {
    const s = await pool();
    const finished: string[] = [];
    // Warm one process first, so the slow call is not also paying for a start.
    await embed(s, "interactive", 0, finished, "warm");
    const slow = embed(s, "background", 4000, finished, "ingest");
    const started = Date.now();
    const quick = await embed(s, "interactive", 0, finished, "search");
    const waited = Date.now() - started;
    expect(quick.vectors).toHaveLength(1);
    // The search ended while the ingestion call was still running, in a second process.
    expect(finished).toEqual(["warm", "search"]);
    expect(waited).toBeLessThan(4000);
    expect(s.running).toBe(2);
    await slow;
    expect(finished).toEqual(["warm", "search", "ingest"]);
  }, 30_000);

  it("with a pool of one, the same interactive call waits for the background call (the old behaviour)", async () => {
    const s = await pool({ poolSize: 1 });
    const finished: string[] = [];
    const slow = embed(s, "background", 1500, finished, "ingest");
    const quick = embed(s, "interactive", 0, finished, "search");
    await Promise.all([slow, quick]);
    expect(finished).toEqual(["ingest", "search"]);
    expect(s.running).toBe(1);
  }, 30_000);

  it("keeps one process for interactive calls however many background calls queue", async () => {
    const s = await pool({ poolSize: 2 });
    const finished: string[] = [];
    const a = embed(s, "background", 1500, finished, "ingest-a");
    const b = embed(s, "background", 1500, finished, "ingest-b");
    const quick = await embed(s, "interactive", 0, finished, "search");
    expect(quick.vectors).toHaveLength(1);
    expect(finished).toEqual(["search"]);
    await Promise.all([a, b]);
    // Background calls took turns in one process; they never held both.
    expect(finished).toEqual(["search", "ingest-a", "ingest-b"]);
    expect(s.running).toBe(2);
  }, 30_000);

  it("stops a hung background call with plugin_timeout without touching the search beside it, and replaces the process", async () => {
    const s = await pool({ maxTimeMs: 1000 });
    const finished: string[] = [];
    const hung = embed(s, "background", 10_000, finished, "ingest");
    const quick = await embed(s, "interactive", 0, finished, "search");
    expect(quick.vectors).toHaveLength(1);
    await expect(hung).rejects.toMatchObject({ code: "plugin_timeout" });
    expect(finished).toEqual(["search", "ingest:plugin_timeout"]);
    // The killed member starts afresh on its next call.
    const again = await embed(s, "background", 0, finished, "ingest-again");
    expect(again.vectors).toHaveLength(1);
  }, 30_000);

  it("fails calls in flight and waiting with plugin_crashed when closed, and starts afresh afterwards", async () => {
    const s = await pool({ poolSize: 1 });
    const finished: string[] = [];
    await embed(s, "interactive", 0, finished, "warm");
    const inFlight = embed(s, "background", 20_000, finished, "ingest");
    const waiting = embed(s, "interactive", 0, finished, "search");
    await vi.waitFor(() => expect(s.load).toEqual({ busy: 1, waiting: 1 }));
    const closedAt = Date.now();
    s.close();
    await expect(inFlight).rejects.toMatchObject({ code: "plugin_crashed" });
    await expect(waiting).rejects.toMatchObject({ code: "plugin_crashed" });
    expect(Date.now() - closedAt).toBeLessThan(1000);
    expect(s.running).toBe(0);
    const after = await embed(s, "interactive", 0, finished, "after");
    expect(after.vectors).toHaveLength(1);
  }, 30_000);
});
