import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, matchLocale } from "../../src/i18n/locales.js";
import { fill, placeholders } from "../../src/i18n/translate.js";

const root = join(import.meta.dirname, "../../src/i18n/locales");

function flatten(value: unknown, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  if (typeof value === "string") out[prefix] = value;
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

const namespaces = readdirSync(join(root, "en")).filter((f) => f.endsWith(".json"));

describe("i18n catalog", () => {
  it("has a folder for every locale and nothing else", () => {
    expect(readdirSync(root).sort()).toEqual([...LOCALES].sort());
  });

  for (const ns of namespaces) {
    const english = flatten(JSON.parse(readFileSync(join(root, "en", ns), "utf8")));
    it(`${ns}: every locale has every English key, no extra keys, no empty strings, same placeholders`, () => {
      expect(Object.keys(english).length).toBeGreaterThan(0);
      for (const locale of LOCALES) {
        const strings = flatten(JSON.parse(readFileSync(join(root, locale, ns), "utf8")));
        const missing = Object.keys(english).filter((k) => !(k in strings));
        const extra = Object.keys(strings).filter((k) => !(k in english));
        expect({ locale, missing, extra }).toEqual({ locale, missing: [], extra: [] });
        for (const [key, text] of Object.entries(strings)) {
          expect(text.trim(), `${locale}/${ns}: ${key}`).not.toBe("");
          expect(placeholders(text), `${locale}/${ns}: ${key}`).toEqual(placeholders(english[key]!));
        }
      }
    });
  }

  it("matches requested languages to supported locales", () => {
    expect(matchLocale("zh-Hant-TW")).toBe("zh-TW");
    expect(matchLocale("zh")).toBe("zh-CN");
    expect(matchLocale("pt")).toBe("pt-BR");
    expect(matchLocale("fr-CA,en;q=0.5")).toBe("fr");
    expect(matchLocale("xx")).toBe("en");
    expect(matchLocale(undefined)).toBe("en");
  });

  it("fills placeholders and keeps unknown ones visible", () => {
    expect(fill("Hello {{name}}, {{ count }} files", { name: "Ada", count: 3 })).toBe("Hello Ada, 3 files");
    expect(fill("{{missing}}")).toBe("{{missing}}");
  });
});
