import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createHttpMetrics } from "../../src/metrics.js";

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const file = join(import.meta.dirname, "../../src/ops/alerts.yml");
/** Names Prometheus itself provides (scrape health) or builds from a histogram/counter family. */
const PROMETHEUS_BUILTIN = new Set(["up"]);
const FUNCTIONS = new Set([
  "sum",
  "rate",
  "clamp_min",
  "max",
  "min",
  "deriv",
  "min_over_time",
  "delta",
  "histogram_quantile",
  "by",
  "and",
  "or",
  "unless",
]);

/** Metric names an expression reads: identifiers followed by `{`, `[` or standing alone, not functions or labels. */
function metricNames(expr: string): string[] {
  const noStrings = expr.replace(/"[^"]*"/g, '""').replace(/\b\d[\d.]*(e[-+]?\d+)?/g, "0");
  const noLabels = noStrings
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "[]")
    .replace(/by \([^)]*\)/g, "");
  const names = noLabels.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((n) => !FUNCTIONS.has(n) && !/^\d/.test(n) && !/^e\d+$/.test(n)))];
}

/** The alert rules file (issue 17) parses as Prometheus rule groups and reads only metrics /metrics exposes. */
describe("alert rules", () => {
  const doc = parse(readFileSync(file, "utf8")) as { groups: { name: string; rules: Rule[] }[] };
  const rules = doc.groups.flatMap((g) => g.rules);

  it("is a Prometheus rule file: named groups, each rule with an alert name, an expression and a summary", () => {
    expect(doc.groups.length).toBeGreaterThan(0);
    for (const g of doc.groups) expect(g.name).toMatch(/\w/);
    const names = new Set<string>();
    for (const r of rules) {
      expect(r.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(names.has(r.alert), r.alert).toBe(false);
      names.add(r.alert);
      expect(r.expr.trim().length).toBeGreaterThan(0);
      if (r.for) expect(r.for).toMatch(/^\d+[smh]$/);
      expect(r.annotations?.summary).toBeTruthy();
      expect(["page", "warn", "info"]).toContain(r.labels?.severity);
      // Balanced brackets: a typo here would make Prometheus reject the whole file.
      for (const [open, close] of ["()", "{}", "[]"]) {
        expect(r.expr.split(open!).length, `${r.alert} ${open}`).toBe(r.expr.split(close!).length);
      }
    }
  });

  it("covers error rate, queue backlog, documents stuck in processing and readiness", () => {
    const text = rules.map((r) => r.expr).join("\n");
    expect(text).toContain('http_request_duration_seconds_count{status=~"5.."}');
    expect(text).toContain('aihub_queue_jobs{state="waiting"}');
    expect(text).toContain('aihub_documents{status="processing"}');
    expect(text).toContain("aihub_component_up");
  });

  it("reads only metrics a live registry exposes", async () => {
    const metrics = createHttpMetrics({
      documents: async () => [{ status: "ready", errorCode: null, count: 1 }],
      stages: async () => [],
      queue: async () => ({ waiting: 0, active: 0 }),
      readiness: [{ name: "database", check: async () => true }],
    });
    metrics.observeRequest("GET", "/v1/x", 500, 0.1);
    metrics.observeModelCall?.({
      model: "m",
      status: "failed",
      inputTokens: 1,
      outputTokens: 1,
      costMicros: 1,
      ttftMs: 10,
    });
    metrics.observeError?.("quota_exceeded", 402);
    const body = (await metrics.render()).body;
    const exposed = new Set(
      body
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => l.split(/[{ ]/)[0]!),
    );
    // Families declared even when a series is empty (failures by code) count as exposed.
    for (const l of body.split("\n")) if (l.startsWith("# TYPE ")) exposed.add(l.split(" ")[2]!);
    const seen = new Set(rules.flatMap((r) => metricNames(r.expr)));
    expect([...seen]).toEqual(expect.arrayContaining(["aihub_queue_jobs", "aihub_documents", "up"]));
    for (const r of rules) {
      for (const name of metricNames(r.expr)) {
        if (PROMETHEUS_BUILTIN.has(name)) continue;
        expect(exposed.has(name), `${r.alert} reads ${name}`).toBe(true);
      }
    }
  });
});
