import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetReservations, usageLedger } from "../../src/db/schema.js";
import { type AskTestApp, STUB_PRICE, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("client disconnect during /v1/ask", () => {
  let a: AskTestApp;
  let server: ReturnType<typeof serve>;
  let base: string;

  beforeAll(async () => {
    a = await startAskTestApp("pglite", { stub: { dripMs: 20 } });
    server = serve({ fetch: a.t.app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await a?.close();
  });

  /** The same question, streamed over a real socket, from one model. */
  const askOverHttp = (geo: { adminKey: string; kbId: string }, model: string, signal?: AbortSignal) =>
    fetch(`${base}/v1/ask`, {
      method: "POST",
      headers: { authorization: `Bearer ${geo.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        question: "Capital of France?",
        knowledge_base_ids: [geo.kbId],
        models: [model],
      }),
      ...(signal ? { signal } : {}),
    });

  it("sends the headers and the sources frame in one write, before the first token", async () => {
    const geo = await seedGeography(a, "OneWrite");
    // Each call of a socket's _writeGeneric is one write (or writev) to the kernel.
    const writes: string[] = [];
    const count = (s: any) => {
      const generic = s._writeGeneric;
      s._writeGeneric = function (writev: boolean, data: any, ...rest: unknown[]) {
        const parts = writev ? data.map((d: any) => d.chunk ?? d) : [data];
        writes.push(parts.map((p: any) => Buffer.from(p).toString("utf8")).join(""));
        return generic.call(this, writev, data, ...rest);
      };
    };
    server.once("connection", count);
    const res = await askOverHttp(geo, "alpha");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("event: delta");
    expect(writes[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(writes[0]).toContain("event: sources");
    expect(writes[0]).not.toContain("event: delta");
  });

  it("aborts the upstream call and still bills the tokens consumed (ledger status aborted)", async () => {
    // A budget makes the call hold a reservation, which must be settled even though the client left.
    const geo = await seedGeography(a, "Leaver", 100);
    const controller = new AbortController();
    const before = a.stub.requests.length;
    const res = await askOverHttp(geo, "drip", controller.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while ((seen.match(/event: delta/g)?.length ?? 0) < 5) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended early");
      seen += decoder.decode(value, { stream: true });
    }
    controller.abort();

    const row = await waitFor("the ledger row", async () => {
      const [r] = await a.t.deps.database.db
        .select()
        .from(usageLedger)
        .where(and(eq(usageLedger.tenantId, geo.tenantId), eq(usageLedger.model, "drip")));
      return r;
    });
    expect(row.status).toBe("aborted");
    expect(row.errorCode).toBe("aborted");
    expect(row.outputTokens).toBeGreaterThanOrEqual(5);
    // The stub drips 1,000 deltas; aborting must stop it long before that.
    expect(row.outputTokens).toBeLessThan(500);
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(row.costMicros).toBe(row.inputTokens * STUB_PRICE.input + row.outputTokens * STUB_PRICE.output);
    expect(row.costMicros).toBeGreaterThan(0);
    const held = await a.t.deps.database.db
      .select()
      .from(budgetReservations)
      .where(eq(budgetReservations.tenantId, geo.tenantId));
    expect(held).toEqual([]);
    expect(a.stub.requests.slice(before).filter((r) => r.path.endsWith("/chat/completions"))).toHaveLength(1);
  });
});
