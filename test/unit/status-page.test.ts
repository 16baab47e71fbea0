import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

/** GET /status (issue 17): each component's health, public, from the i18n catalog, no secrets. */
describe("status page", () => {
  let db: TestDatabase;
  let t: TestApp;
  let vectorsUp = true;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    t = await createTestApp(db);
    t.deps.readiness.push({ name: "vectors", check: async () => vectorsUp });
  });
  afterAll(async () => db?.cleanup());

  it("shows every component up, without a key", async () => {
    const r = await t.call("GET", "/status", { key: null });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/html");
    expect(r.body).toContain("All systems operational");
    expect(r.body).toContain('data-component="database"');
    expect(r.body).toContain('data-component="vectors"');
    expect(r.body).toContain('data-component="models"');
    expect(r.body).not.toMatch(/postgres:\/\/|127\.0\.0\.1|aih_|sk-/);
  });

  it("names what is down, answers 503, and speaks the visitor's language", async () => {
    vectorsUp = false;
    const r = await t.call("GET", "/status", { key: null, headers: { "accept-language": "fr-FR,fr;q=0.9" } });
    vectorsUp = true;
    expect(r.status).toBe(503);
    expect(r.body).toContain('lang="fr"');
    expect(r.body).toContain("Certains composants sont en panne");
    expect(r.body).toMatch(
      /<tr class="down" data-component="vectors"><th scope="row">Moteur vectoriel<\/th><td>En panne/,
    );
    const ar = await t.call("GET", "/status?lang=ar", { key: null });
    expect(ar.body).toContain('dir="rtl"');
  });
});
