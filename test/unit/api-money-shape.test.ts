import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase } from "../helpers/database.js";

type Schema = {
  $ref?: string;
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
};

/**
 * Issue 11: one money shape everywhere. Read from the OpenAPI document, so a route added later is
 * held to it too: an amount in USD is never a bare JSON number (a response gives a decimal string
 * beside its integer `*_micros`; an input takes a number or a decimal string).
 */
describe("money in the OpenAPI document", () => {
  let t: TestApp;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const db = await openTestDatabase("pglite");
    cleanup = db.cleanup;
    t = await createTestApp(db);
  });
  afterAll(async () => cleanup?.());

  it("has no *_usd field that is only a number, and every *_usd string has its *_micros beside it", async () => {
    const doc = (await t.call("GET", "/openapi.json", { key: null })).body;
    const resolve = (s: Schema): Schema =>
      s.$ref ? resolve(doc.components.schemas[s.$ref.split("/").pop()!] as Schema) : s;
    const types = (s: Schema): string[] => {
      const r = resolve(s);
      const own = r.type === undefined ? [] : Array.isArray(r.type) ? r.type : [r.type];
      return [...own, ...[...(r.anyOf ?? []), ...(r.oneOf ?? [])].flatMap(types)];
    };
    const numberOnly: string[] = [];
    const withoutMicros: string[] = [];
    const seen = new Set<Schema>();
    const walk = (s: Schema | undefined, where: string) => {
      if (!s || seen.has(s)) return;
      seen.add(s);
      const r = resolve(s);
      for (const [name, p] of Object.entries(r.properties ?? {})) {
        if (name.endsWith("_usd")) {
          const ts = types(p);
          if (!ts.includes("string")) numberOnly.push(`${where}.${name}`);
          else if (!ts.includes("number") && !r.properties![name.replace(/_usd$/, "_micros")])
            withoutMicros.push(`${where}.${name}`);
        }
        walk(p, `${where}.${name}`);
      }
      for (const x of [...(r.anyOf ?? []), ...(r.oneOf ?? [])]) walk(x, where);
      walk(r.items, `${where}[]`);
      if (typeof r.additionalProperties === "object") walk(r.additionalProperties, `${where}{}`);
    };
    for (const [name, s] of Object.entries(doc.components.schemas as Record<string, Schema>)) walk(s, name);
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>))
      for (const [method, op] of Object.entries(ops)) {
        for (const [type, c] of Object.entries(op.requestBody?.content ?? {}))
          walk((c as { schema?: Schema }).schema, `${method} ${path} ${type}`);
        for (const [status, res] of Object.entries(op.responses ?? {}))
          for (const [type, c] of Object.entries((res as any).content ?? {}))
            walk((c as { schema?: Schema }).schema, `${method} ${path} ${status} ${type}`);
      }
    expect(numberOnly).toEqual([]);
    expect(withoutMicros).toEqual([]);
  });
});
