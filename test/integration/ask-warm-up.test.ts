import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { loadedEncodings } from "../../src/models/chat/token-count.js";
import { composeRuntime, type Runtime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";

const PLATFORM_KEY = "warm_up_platform_key_0123456789abcdef";

/**
 * Issue 11: the first ask after start took ~1 s (later ones 20-40 ms), most of it loading the token
 * counter's rank table. The API now loads it (and runs the answerer, embedder and a vector query
 * once) in the background at start. Checked on what the process holds, not on timings: the loader
 * ran before the first request, the ask loaded nothing more, and readiness never waited for it.
 */
describe("the API warms the ask path at start (embedded profile)", () => {
  let runtime: Runtime | undefined;
  let dataDir = "";
  afterAll(async () => {
    await runtime?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers /healthz and /readyz before the warm-up ends; the first ask finds the tokenizer loaded", async () => {
    // Importing the app loads no rank table: whatever is loaded below, the warm-up loaded.
    expect(loadedEncodings()).toEqual([]);
    dataDir = await mkdtemp(join(tmpdir(), "aihub-warm-"));
    const config = parseConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATA_DIR: dataDir,
      ADMIN_API_KEY: PLATFORM_KEY,
    });
    runtime = await composeRuntime(config, createLogger(config));
    const warmUp = runtime.warmUp!;
    // Nothing of it has run when the runtime is handed to the server.
    expect(warmUp.state).toBe("pending");
    const app = createApp(runtime.deps);
    expect((await app.request("/healthz")).status).toBe(200);
    expect(await (await app.request("/readyz")).json()).toMatchObject({ status: "ready" });

    await warmUp.done;
    expect(warmUp.state).toBe("done");
    expect(Object.keys(warmUp.steps)).toEqual([
      "tokenizer_cl100k_base",
      "extractive_answerer",
      "embed_and_vector_query",
    ]);
    expect(loadedEncodings()).toEqual(["cl100k_base"]);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(/^ask_warmup_complete 1$/m);
    expect(metrics).toMatch(/^ask_warmup_step_seconds\{step="tokenizer_cl100k_base"\} \d/m);

    await ensurePlatformKey(runtime.deps.database.db, PLATFORM_KEY);
    const call = async (
      method: string,
      path: string,
      key: string,
      body?: unknown,
      type = "application/json",
    ) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": type },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const tenant = await call("POST", "/v1/tenants", PLATFORM_KEY, { name: "Warm" });
    const key = tenant.body.key.key as string;
    const kb = (await call("POST", "/v1/knowledge-bases", key, { name: "Notes" })).body.id as string;
    const doc = await call(
      "POST",
      `/v1/knowledge-bases/${kb}/documents?filename=jit.txt`,
      key,
      "Trace trees record hot loops. The tracing JIT compiles them into machine code.",
      "text/plain",
    );
    expect(doc.status).toBe(202);
    // The document's own event stream ends when it is processed.
    const events = await app.request(`/v1/documents/${doc.body.id}/events`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(await events.text()).toMatch(/"status":"ready"/);

    const ask = await call("POST", "/v1/ask", key, {
      question: "What do trace trees record?",
      knowledge_base_ids: [kb],
      stream: false,
    });
    expect(ask.status).toBe(200);
    expect(ask.body.answers[0].text).toMatch(/hot loops/);
    // The answer's tokens were counted (estimated) with the table the warm-up had loaded.
    expect(ask.body.answers[0].usage).toMatchObject({ usage_source: "estimated" });
    expect(ask.body.answers[0].usage.input_tokens).toBeGreaterThan(0);
    expect(loadedEncodings()).toEqual(["cl100k_base"]);
  }, 120_000);
});
