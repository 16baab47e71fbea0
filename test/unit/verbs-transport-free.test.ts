import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Verbs and the ingestion pipeline know nothing about HTTP (issue 20): they throw the ServiceError
 * family from src/services/errors.ts, and src/errors.ts maps it to problem+json in one place. An import
 * of hono, of the HTTP error module or of a route from here would let transport leak back into them.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const GUARDED = ["src/services", "ingest"];
const HTTP_ERRORS = resolve(root, "src/errors.ts");
const ROUTES = resolve(root, "src/routes");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every module specifier a file names, in order: imports, re-exports, side-effect and dynamic imports. */
function specifiers(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /^\s*import\s+["']([^"']+)["']/gm,
  ];
  return patterns
    .flatMap((re) => [...text.matchAll(re)].map((m) => [m.index, m[1]!] as const))
    .sort((x, y) => x[0] - y[0])
    .map(([, spec]) => spec);
}

function forbiddenReason(file: string, spec: string): string | null {
  if (spec === "hono" || spec.startsWith("hono/") || spec.startsWith("@hono/")) return "imports hono";
  if (!spec.startsWith(".")) return null;
  const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
  if (target === HTTP_ERRORS) return "imports src/errors.ts (throw from src/services/errors.ts instead)";
  if (target === ROUTES || target.startsWith(`${ROUTES}/`)) return "imports a route";
  return null;
}

describe("verbs and ingestion are transport-free", () => {
  it("no file under src/services or ingest imports hono, src/errors.ts or src/routes", () => {
    const files = GUARDED.flatMap((d) => sourceFiles(resolve(root, d)));
    expect(files.length).toBeGreaterThan(50);
    const offences = files.flatMap((file) =>
      specifiers(readFileSync(file, "utf8")).flatMap((spec) => {
        const why = forbiddenReason(file, spec);
        return why ? [`${relative(root, file)}: "${spec}" ${why}`] : [];
      }),
    );
    expect(offences).toEqual([]);
  });

  it("recognises each kind of forbidden import", () => {
    const file = resolve(root, "src/services/documents/example.ts");
    const text = [
      'import { Hono } from "hono";',
      'import type { Context } from "hono";',
      'import { ApiError } from "../../errors.js";',
      'export { x } from "../../routes/documents/schema.js";',
      'const m = await import("@hono/zod-openapi");',
      'import { NotFoundError } from "../errors.js";',
    ].join("\n");
    const reasons = specifiers(text).map((s) => forbiddenReason(file, s));
    expect(reasons).toEqual([
      "imports hono",
      "imports hono",
      "imports src/errors.ts (throw from src/services/errors.ts instead)",
      "imports a route",
      "imports hono",
      null,
    ]);
  });
});
