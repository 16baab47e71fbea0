import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/errors.js";

const root = join(import.meta.dirname, "../..");
const english = (ns: string) =>
  JSON.parse(readFileSync(join(root, "src/i18n/locales/en", `${ns}.json`), "utf8"));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith(".generated.ts") ? [p] : [];
  });
}

const lookup = (tree: unknown, key: string) =>
  key
    .split(".")
    .reduce<unknown>(
      (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
      tree,
    );

/** The catalog test (i18n-catalog.test.ts) checks locales against English; this checks English against the code. */
describe("console strings", () => {
  const strings = { console: english("console"), errors: english("errors") };

  it("every literal t() key in src/console exists in the English catalog", () => {
    const missing: string[] = [];
    let count = 0;
    for (const file of sources(join(root, "src/console"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([^"]+)"/g)) {
        count++;
        const [ns, key] = m[1]!.includes(":")
          ? (m[1]!.split(":") as ["errors", string])
          : (["console", m[1]!] as const);
        if (typeof lookup(strings[ns], key) !== "string")
          missing.push(`${file.slice(root.length + 1)}: ${m[1]}`);
      }
    }
    expect(count).toBeGreaterThan(150);
    expect(missing).toEqual([]);
  });

  it("errors.json has a message for every stable API error code", () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => typeof strings.errors[code] !== "string");
    expect(missing).toEqual([]);
  });

  it("has the keys the console builds from values (statuses, stages, failures, scopes, metrics)", () => {
    const dynamic = [
      ...["queued", "processing", "ready", "failed"].map((s) => `docs.status.${s}`),
      ...["uploading", "queued", "parse", "chunk", "embed", "index", "ready", "failed"].map(
        (s) => `docs.stage.${s}`,
      ),
      ...[
        "encrypted",
        "no_text",
        "corrupt",
        "empty",
        "unsupported_type",
        "too_large",
        "blob_missing",
        "timeout",
      ].map((c) => `docs.failure.${c}`),
      ...["admin", "ingest", "query"].map((s) => `keys.scope_${s}`),
      ...["qa", "strict", "support-bot"].map((s) => `templates.${s}`),
      ...["hybrid", "dense", "sparse"].map((s) => `search.mode_${s}`),
      ...["auto", "en", "zh"].map((s) => `kb.language_${s}`),
      ...["day", "model", "key"].flatMap((g) => [`usage.by_${g}`, `usage.group_${g}`]),
      ...["recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "ndcg_at_10"].map(
        (m) => `evals.metric.${m}`,
      ),
      ...["members", "embeds", "billing"].map((s) => `nav.${s}`),
      ...["usage", "top_up", "code", "credit"].map((k) => `billing.kind_${k}`),
      ...["owner", "admin", "developer", "viewer", "billing"].map((r) => `members.role_${r}`),
      ...["auto", "light", "dark"].map((s) => `embeds.scheme_${s}`),
      // Picked by a condition (t(a ? "x" : "y")), which the literal-key scan above does not see.
      ...["invitation_title", "verify_title", "invitation_done", "verify_done"].map((k) => `auth.${k}`),
      ...["accept_invitation", "verify_email", "name", "organization_name", "new_password"].map(
        (k) => `auth.${k}`,
      ),
    ];
    expect(dynamic.filter((k) => typeof lookup(strings.console, k) !== "string")).toEqual([]);
  });
});
