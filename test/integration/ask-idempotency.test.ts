import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageLedger } from "../../src/db/schema.js";
import { type AskTestApp, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

/**
 * Issue 17: a client retrying an ask sends the same Idempotency-Key and is charged once per model,
 * whichever attempt answered; without a key, two asks are two charges.
 */
describe("ask with an Idempotency-Key", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  beforeAll(async () => {
    a = await startAskTestApp("postgres");
    geo = await seedGeography(a);
  });
  afterAll(async () => a?.close());

  const askWith = async (headers: Record<string, string>) => {
    const res = await a.t.app.request("/v1/ask", {
      method: "POST",
      headers: { authorization: `Bearer ${geo.adminKey}`, "content-type": "application/json", ...headers },
      body: JSON.stringify({
        question: "What is the capital of France?",
        knowledge_base_ids: [geo.kbId],
        models: ["alpha"],
        stream: false,
      }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const rows = (key: string) =>
    a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(and(eq(usageLedger.tenantId, geo.tenantId), eq(usageLedger.idempotencyKey, key)));

  it("charges a retried ask once; the retry keeps its provider cost at a charge of 0", async () => {
    const first = await askWith({ "idempotency-key": "retry-1" });
    const second = await askWith({ "idempotency-key": "retry-1" });
    expect([first.status, second.status]).toEqual([200, 200]);
    const ledger = await rows("retry-1");
    expect(ledger).toHaveLength(2);
    const charged = ledger.filter((r) => r.chargeMicros > 0);
    expect(charged).toHaveLength(1);
    expect(ledger.every((r) => r.costMicros > 0)).toBe(true);
    console.log(
      `idempotent retry: ${ledger.map((r) => `cost=${r.costMicros} charge=${r.chargeMicros}`).join("; ")}`,
    );
  });

  it("charges asks with different keys, or none, each time", async () => {
    await askWith({ "idempotency-key": "k-a" });
    await askWith({ "idempotency-key": "k-b" });
    expect((await rows("k-a"))[0]!.chargeMicros).toBeGreaterThan(0);
    expect((await rows("k-b"))[0]!.chargeMicros).toBeGreaterThan(0);
    const bad = await askWith({ "idempotency-key": "has spaces" });
    expect(bad.status).toBe(400);
  });
});
