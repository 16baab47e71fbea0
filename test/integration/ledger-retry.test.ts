import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { budgetReservations, orgBilling, tenants, usageLedger, walletEntries } from "../../src/db/schema.js";
import { settleCall, settleCallRetrying } from "../../src/services/budgets/settle.js";
import type { LedgerEntry } from "../../src/services/ledger/record.js";
import { type DbKind, openTestDatabase, type TestDatabase } from "../helpers/database.js";

/**
 * The soak showed answered asks without a ledger row when PostgreSQL's pool timed out under load. A
 * model call's settlement is now retried, and a retry after a failure that did commit (the connection
 * broke after COMMIT) must not bill twice: the row's id is fixed before the first attempt.
 */
describe.each<DbKind>(["pglite", "postgres"])("ledger write retries on %s", (kind) => {
  let database: TestDatabase;
  let db: Db;
  const entry = (tenantId: string): LedgerEntry => ({
    tenantId,
    keyId: null,
    kind: "chat",
    model: "stub",
    inputTokens: 100,
    outputTokens: 10,
    costMicros: 700,
    chargeMicros: 700,
    usageSource: "provider",
    status: "ok",
  });

  async function tenantWithWallet(id: string, walletMicros: number, reservationId: string) {
    await db.insert(tenants).values({ id, name: id });
    await db.insert(orgBilling).values({ tenantId: id, planId: "free", walletMicros });
    await db
      .insert(budgetReservations)
      .values({ id: reservationId, tenantId: id, amountMicros: 900, wallet: true });
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  }, 60_000);
  afterAll(async () => database?.cleanup());

  it("settling the same call twice writes one row and debits the wallet once", async () => {
    await tenantWithWallet("ten_twice", 10_000, "res_twice");
    const call = { ...entry("ten_twice"), id: "use_twice" };
    await settleCall(db, "res_twice", call);
    await settleCall(db, "res_twice", call);
    const rows = await db.select().from(usageLedger).where(eq(usageLedger.tenantId, "ten_twice"));
    expect(rows.map((r) => r.id)).toEqual(["use_twice"]);
    const debits = await db.select().from(walletEntries).where(eq(walletEntries.tenantId, "ten_twice"));
    expect(debits.map((d) => d.amountMicros)).toEqual([-700]);
    const [billing] = await db.select().from(orgBilling).where(eq(orgBilling.tenantId, "ten_twice"));
    expect(billing?.walletMicros).toBe(9_300);
    expect(await db.select().from(budgetReservations).where(eq(budgetReservations.id, "res_twice"))).toEqual(
      [],
    );
  });

  it("a settlement whose first attempts fail is retried until it is written, once", async () => {
    await tenantWithWallet("ten_retry", 10_000, "res_retry");
    let failures = 2;
    // The database refuses the first two transactions, as a pool that timed out would.
    const flaky = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "transaction") {
          return (...args: unknown[]) => {
            if (failures-- > 0) return Promise.reject(new Error("timeout exceeded when trying to connect"));
            return (target.transaction as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const retries: number[] = [];
    const id = await settleCallRetrying(flaky, "res_retry", entry("ten_retry"), undefined, {
      deadlineMs: 5_000,
      onRetry: (attempt) => retries.push(attempt),
    });
    expect(retries).toEqual([1, 2]);
    const rows = await db.select().from(usageLedger).where(eq(usageLedger.tenantId, "ten_retry"));
    expect(rows.map((r) => [r.id, r.costMicros])).toEqual([[id, 700]]);
    const [billing] = await db.select().from(orgBilling).where(eq(orgBilling.tenantId, "ten_retry"));
    expect(billing?.walletMicros).toBe(9_300);
  });

  it("gives up after its deadline with the database's error", async () => {
    const down = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "insert")
          return () => {
            throw new Error("connection refused");
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const started = Date.now();
    await expect(
      settleCallRetrying(down, null, entry("ten_twice"), undefined, { deadlineMs: 400 }),
    ).rejects.toThrow("connection refused");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
