/**
 * The import graph of the project's TypeScript, and the checks over it that keep data flowing one way
 * (route -> verb -> capability interface -> adapter): layer rules written as data, and no import
 * circles (Tarjan's strongly connected components). Used by test/unit/import-layers.test.ts.
 *
 * Every kind of import counts, `import type` included: a type-only edge is still a dependency a reader
 * must follow, and a type-only circle is still a circle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import ts from "typescript";

/** file (repo-relative, "/"-separated) -> what it imports: other files, or `npm:<package>`. */
export type ImportGraph = Map<string, Set<string>>;

const SOURCE = /\.(ts|tsx|mts)$/;
const SKIP_DIRS = new Set(["node_modules", "dist", ".wrangler", "migrations"]);

function listSources(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(join(root, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) {
      if (!SKIP_DIRS.has(name)) listSources(root, rel, out);
    } else if (SOURCE.test(name) && !name.endsWith(".d.ts")) out.push(rel);
  }
}

/** Every module specifier a file names: static imports and re-exports, import(), `import("x").T`. */
export function importSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package a bare specifier names: "hono/cors" -> "hono", "@hono/zod-openapi/x" -> "@hono/zod-openapi". */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function resolveRelative(root: string, from: string, specifier: string): string | null {
  const base = join(dirname(from), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, "");
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${base}/index.ts`,
    `${base}/index.tsx`,
  ];
  for (const c of candidates) {
    if (SOURCE.test(c) && existsSync(join(root, c)) && statSync(join(root, c)).isFile()) {
      return c.split(sep).join("/");
    }
  }
  return null;
}

/**
 * Reads every TypeScript file under `dirs` (relative to `root`). Relative imports become edges to
 * files (JSON, CSS and other assets are not modules of interest and are left out); bare ones become
 * `npm:<package>`; `node:` built-ins are left out.
 */
export function buildImportGraph(root: string, dirs: string[]): ImportGraph {
  const files: string[] = [];
  for (const d of dirs) listSources(root, d, files);
  const graph: ImportGraph = new Map();
  for (const file of files.sort()) {
    const edges = new Set<string>();
    for (const spec of importSpecifiers(file, readFileSync(join(root, file), "utf8"))) {
      if (spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) {
        const target = resolveRelative(root, file, spec);
        if (target) edges.add(target);
      } else {
        edges.add(`npm:${packageOf(spec)}`);
      }
    }
    graph.set(file, edges);
  }
  return graph;
}

/**
 * A path pattern: "src/services/" (a folder and everything under it), "src/app.ts" (one file), or
 * "npm:hono" (a package, any of its subpaths).
 */
export type Pattern = string;

export interface LayerRule {
  /** Why the rule exists, printed with each break. */
  why: string;
  /** The files the rule applies to. */
  files: Pattern[];
  /** Files within `files` the rule does not apply to. */
  except?: Pattern[];
  /** What those files may not import... */
  mayNotImport?: Pattern[];
  /** ...or, instead, the only things they may import (besides themselves and npm packages). */
  mayOnlyImport?: Pattern[];
}

export function matches(path: string, pattern: Pattern): boolean {
  return pattern.endsWith("/") ? path.startsWith(pattern) : path === pattern;
}

const any = (path: string, patterns: Pattern[] | undefined) => (patterns ?? []).some((p) => matches(path, p));

export interface RuleBreak {
  from: string;
  to: string;
  why: string;
}

/** Every import that breaks a rule; files matching `entries` may import anything. */
export function layerBreaks(graph: ImportGraph, rules: LayerRule[], entries: Pattern[] = []): RuleBreak[] {
  const breaks: RuleBreak[] = [];
  for (const [from, targets] of graph) {
    if (any(from, entries)) continue;
    for (const rule of rules) {
      if (!any(from, rule.files) || any(from, rule.except)) continue;
      for (const to of targets) {
        const forbidden = rule.mayNotImport
          ? any(to, rule.mayNotImport)
          : rule.mayOnlyImport
            ? !to.startsWith("npm:") && !any(to, rule.files) && !any(to, rule.mayOnlyImport)
            : false;
        if (forbidden) breaks.push({ from, to, why: rule.why });
      }
    }
  }
  return breaks;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];

  // Iterative, so a long chain of imports cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: Iterator<string> }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: (graph.get(node) ?? new Set<string>()).values() });
    };
    open(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const step = frame.next.next();
      if (!step.done) {
        const to = step.value;
        if (!graph.has(to)) continue;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = graph.get(frame.node)?.has(frame.node) ?? false;
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/** One readable path around a component: "a.ts -> b.ts -> a.ts". */
export function describeCycle(graph: ImportGraph, component: string[]): string {
  const inside = new Set(component);
  const first = component[0]!;
  // Breadth-first from the first member back to itself, staying inside the component.
  const previous = new Map<string, string>();
  const queue = [first];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!inside.has(to) || previous.has(to)) continue;
      previous.set(to, node);
      if (to === first) queue.length = 0;
      else queue.push(to);
    }
  }
  const path = [first];
  for (let at = previous.get(first); at !== undefined && at !== first; at = previous.get(at))
    path.unshift(at);
  path.unshift(first);
  return `${path.join(" -> ")}${component.length > 2 ? ` (${component.length} files in the circle)` : ""}`;
}
