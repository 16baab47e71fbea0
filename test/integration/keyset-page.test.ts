import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keysetPage } from "../../src/db/paging.js";
import { tenantSuspensions, tenants } from "../../src/db/schema.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

/** The one cursor-paging helper every list verb uses (issue 20), against real PostgreSQL. */
describe("keysetPage", () => {
  let database: TestDatabase;
  const ids = ["ten_a1", "ten_a2", "ten_a3", "ten_a4", "ten_a5"];

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    await database.db.insert(tenants).values(ids.map((id) => ({ id, name: `org ${id}` })));
    await database.db.insert(tenantSuspensions).values({ tenantId: "ten_a2", reason: "test" });
  });
  afterAll(() => database.cleanup());

  const all = (order: "asc" | "desc", limit: number, where = [like(tenants.id, "ten_a%")]) => {
    const pages: string[][] = [];
    const walk = async (cursor?: string): Promise<string[][]> => {
      const page = await keysetPage(
        database.db.select().from(tenants).$dynamic(),
        { limit, cursor },
        {
          by: tenants.id,
          order,
          where,
        },
      );
      pages.push(page.items.map((r) => r.id));
      expect(page.hasMore).toBe(page.nextCursor !== null);
      return page.nextCursor ? walk(page.nextCursor) : pages;
    };
    return walk();
  };

  it("walks every row once, oldest first by default or newest first, the last page saying so", async () => {
    expect(await all("asc", 2)).toEqual([["ten_a1", "ten_a2"], ["ten_a3", "ten_a4"], ["ten_a5"]]);
    expect(await all("desc", 2)).toEqual([["ten_a5", "ten_a4"], ["ten_a3", "ten_a2"], ["ten_a1"]]);
    // A page exactly as long as what is left is the last one: no empty page follows.
    expect(await all("asc", 5)).toEqual([ids]);
  });

  it("treats an empty cursor as none and keeps the list's own conditions", async () => {
    const page = await keysetPage(
      database.db.select().from(tenants).$dynamic(),
      { limit: 10, cursor: "" },
      { by: tenants.id, where: [like(tenants.id, "ten_a%"), eq(tenants.name, "org ten_a3")] },
    );
    expect(page).toMatchObject({ nextCursor: null, hasMore: false });
    expect(page.items.map((r) => r.id)).toEqual(["ten_a3"]);
  });

  it("pages joined rows by the value cursorOf names", async () => {
    const query = database.db
      .select({ tenant: tenants, suspendedAt: tenantSuspensions.createdAt })
      .from(tenants)
      .leftJoin(tenantSuspensions, eq(tenantSuspensions.tenantId, tenants.id));
    const first = await keysetPage(
      query.$dynamic(),
      { limit: 2 },
      {
        by: tenants.id,
        where: [like(tenants.id, "ten_a%")],
        cursorOf: (row) => row.tenant.id,
      },
    );
    expect(first.nextCursor).toBe("ten_a2");
    expect(first.items.map((r) => [r.tenant.id, r.suspendedAt !== null])).toEqual([
      ["ten_a1", false],
      ["ten_a2", true],
    ]);
  });
});
