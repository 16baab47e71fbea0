import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  buildImportGraph,
  describeCycle,
  type ImportGraph,
  importCycles,
  importSpecifiers,
  type LayerRule,
  layerBreaks,
  type Pattern,
} from "../helpers/import-graph.js";

/**
 * Data flows one way: route -> service verb -> capability interface -> adapter (README "Architecture").
 * The rules are data; a break names the importing file, the imported one and the rule.
 */

/** Process entries compose everything, so they may import anything; nothing may import them. */
const ENTRIES: Pattern[] = [
  "src/server.ts",
  "src/worker.ts",
  "src/edge.ts",
  "src/cli/",
  "src/vector/engine/main.ts",
  // Build and code-generation scripts (npm run build, console:api, sdk:types, build:widget).
  "src/build/production.ts",
  "src/build/openapi-document.ts",
  "src/sdk/typescript/scripts/",
  "src/models/catalog/generate.ts",
  "src/widget/cli.ts",
  "prompts/generate.ts",
];

const EVERYTHING: Pattern[] = ["src/", "ingest/", "prompts/"];
const HTTP: Pattern[] = [
  "src/routes/",
  "src/app.ts",
  "npm:hono",
  "npm:@hono/zod-openapi",
  "npm:@hono/node-server",
];

const RULES: LayerRule[] = [
  {
    why: "entries compose and serve; everything else is a library that never imports an entry",
    files: EVERYTHING,
    mayNotImport: ENTRIES,
  },
  {
    why: "only entries compose the runtime (src/runtime/); libraries receive what it builds as dependencies",
    files: EVERYTHING,
    except: ["src/runtime/"],
    mayNotImport: ["src/runtime/"],
  },
  {
    why: "verbs are transport-free: services never import routes, the app or Hono",
    files: ["src/services/"],
    mayNotImport: HTTP,
  },
  {
    why: "ingest/ is a library: it gets the usage ledger and the text policy through its dependencies",
    files: ["ingest/"],
    mayNotImport: ["src/services/", "src/routes/", "src/app.ts", "src/auth/", "src/ratelimit/"],
  },
  {
    why: "capabilities and adapters sit below the verbs and never call up into them",
    files: [
      "src/models/",
      "src/vector/",
      "src/blobs/",
      "src/db/",
      "src/ratelimit/",
      "src/mail/",
      "src/i18n/",
    ],
    // The Hono middleware is the HTTP face of rate limiting: it sits with the routes and may ask a verb.
    except: ["src/ratelimit/middleware.ts"],
    mayNotImport: ["src/services/", "src/routes/", "src/app.ts", "ingest/"],
  },
  {
    why: "models and prompts do not import each other: the extractive model takes structured sources",
    files: ["src/models/"],
    mayNotImport: ["prompts/"],
  },
  {
    why: "models and prompts do not import each other: prompts render plain role/content messages",
    files: ["prompts/"],
    mayNotImport: ["src/models/"],
  },
  {
    why: "the embedded vector engine stands alone (it also runs as its own process)",
    files: ["src/vector/engine/"],
    mayOnlyImport: ["src/node-check.ts"],
  },
  {
    why: "the SDK is its own package: it talks to the API over HTTP and imports nothing of the server",
    files: ["src/sdk/typescript/src/"],
    mayOnlyImport: [],
  },
];

/**
 * Circles that exist on main and are being removed on another branch; each must still exist (so the
 * list cannot go stale) and no other circle may appear.
 */
const KNOWN_CIRCLES: { files: string[]; why: string }[] = [];

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const graph = buildImportGraph(ROOT, ["src", "ingest", "prompts"]);

describe("import layers", () => {
  it("reads the project's imports, type-only ones included", () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(graph.get("src/app.ts")?.has("npm:hono")).toBe(true);
    expect(graph.get("src/context.ts")?.has("src/config.ts")).toBe(true);
  });

  it("no file imports upward", () => {
    const breaks = layerBreaks(graph, RULES, ENTRIES).map((b) => `${b.from} imports ${b.to}: ${b.why}`);
    expect(breaks, breaks.join("\n")).toEqual([]);
  });

  it("there are no import circles", () => {
    const cycles = importCycles(graph);
    const known = (c: string[]) => KNOWN_CIRCLES.some((k) => k.files.join() === c.join());
    const unexpected = cycles.filter((c) => !known(c)).map((c) => describeCycle(graph, c));
    expect(unexpected, unexpected.join("\n")).toEqual([]);
    const gone = KNOWN_CIRCLES.filter((k) => !cycles.some((c) => c.join() === k.files.join()));
    expect(
      gone.map((k) => `no longer a circle, remove it from KNOWN_CIRCLES: ${k.files.join(", ")}`),
    ).toEqual([]);
  });
});

describe("the import checker itself", () => {
  const fake = (edges: Record<string, string[]>): ImportGraph =>
    new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

  it("finds every kind of import, type-only and dynamic ones included", () => {
    const text = [
      'import a from "./a.js";',
      'import type { B } from "./b.js";',
      'import "./c.js";',
      'export { d } from "./d.js";',
      'export type * from "./e.js";',
      'const f = await import("./f.js");',
      'type G = import("./g.js").G;',
      '// import nothing from "./h.js";',
      "const text = \"import x from './i.js'\";",
    ].join("\n");
    expect(importSpecifiers("x.ts", text)).toEqual([
      "./a.js",
      "./b.js",
      "./c.js",
      "./d.js",
      "./e.js",
      "./f.js",
      "./g.js",
    ]);
  });

  it("names the import that breaks a rule, and the rule", () => {
    const g = fake({
      "src/services/kb/create.ts": ["src/db/schema.ts", "npm:hono"],
      "src/routes/kb/create.ts": ["src/services/kb/create.ts"],
      "ingest/pipeline/index.ts": ["src/services/ledger/record.ts"],
      "src/server.ts": ["src/routes/kb/create.ts", "src/runtime/compose.ts"],
      "src/vector/engine/x.ts": ["src/vector/engine/y.ts", "src/config.ts"],
    });
    const breaks = layerBreaks(g, RULES, ENTRIES);
    expect(breaks.map((b) => `${b.from} -> ${b.to}`)).toEqual([
      "src/services/kb/create.ts -> npm:hono",
      "ingest/pipeline/index.ts -> src/services/ledger/record.ts",
      "src/vector/engine/x.ts -> src/config.ts",
    ]);
    expect(breaks[0]!.why).toMatch(/services never import routes, the app or Hono/);
    expect(breaks[1]!.why).toMatch(/ingest\/ is a library/);
    expect(breaks[2]!.why).toMatch(/stands alone/);
  });

  it("finds circles, type-only ones too, and prints a path around each", () => {
    const g = fake({
      "a.ts": ["b.ts"],
      "b.ts": ["c.ts", "npm:zod"],
      "c.ts": ["a.ts"],
      "d.ts": ["a.ts"],
      "e.ts": ["e.ts"],
      "f.ts": [],
    });
    const cycles = importCycles(g);
    expect(cycles).toEqual([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
    expect(describeCycle(g, cycles[0]!)).toBe("a.ts -> b.ts -> c.ts -> a.ts (3 files in the circle)");
    expect(describeCycle(g, cycles[1]!)).toBe("e.ts -> e.ts");
    expect(importCycles(fake({ "a.ts": ["b.ts"], "b.ts": [] }))).toEqual([]);
  });
});
