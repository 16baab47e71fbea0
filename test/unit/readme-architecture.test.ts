import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The README's Architecture section names every folder under src/ and ingest/ (and every file at their
 * top level), one line each, starting with the path in backticks: a newcomer can find where a thing
 * lives, and the map cannot fall behind the tree.
 */
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const ROOTS = ["src", "ingest"];
/** Build output, dependencies and caches, never committed. */
const SKIP = new Set(["node_modules", "dist", "__pycache__", ".pytest_cache", ".venv", ".wrangler"]);

function folders(dir: string, out: string[]): string[] {
  out.push(`${dir}/`);
  for (const name of readdirSync(join(REPO, dir))) {
    if (SKIP.has(name) || name.startsWith(".")) continue;
    if (statSync(join(REPO, dir, name)).isDirectory()) folders(`${dir}/${name}`, out);
  }
  return out;
}

function topLevelFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir))
    .filter((name) => /\.(ts|tsx)$/.test(name) && statSync(join(REPO, dir, name)).isFile())
    .map((name) => `${dir}/${name}`);
}

/** The paths the section's lines start with: "- `src/blobs/` …" or "`src/blobs/` …". */
function namedPaths(readme: string): string[] {
  const start = readme.indexOf("\n## Architecture\n");
  if (start < 0) throw new Error('README.md has no "## Architecture" section');
  const next = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^(?:- )?`((?:src|ingest)\/[^`\s]*)`/gm)].map((m) => m[1]!);
}

const named = namedPaths(readFileSync(join(REPO, "README.md"), "utf8"));
const present = ROOTS.flatMap((root) => [...folders(root, []), ...topLevelFiles(root)]);

describe("README architecture section", () => {
  it("reads the section's lines", () => {
    expect(named).toContain("src/blobs/");
    expect(named).toContain("src/ids.ts");
    expect(
      namedPaths("x\n## Architecture\n- `src/a/` one\n`ingest/b/` two\nnot `src/c/`\n## Next\n- `src/d/`"),
    ).toEqual(["src/a/", "ingest/b/"]);
  });

  it("names every folder under src/ and ingest/, and every file at their top level", () => {
    const missing = present.filter((p) => !named.includes(p));
    expect(missing, `add one line per path to README.md "## Architecture":\n${missing.join("\n")}`).toEqual(
      [],
    );
  });

  it("names nothing that does not exist, and nothing twice", () => {
    const stale = named.filter((p) => !present.includes(p));
    expect(stale, `README.md "## Architecture" names paths that are gone:\n${stale.join("\n")}`).toEqual([]);
    expect(named.filter((p, i) => named.indexOf(p) !== i)).toEqual([]);
  });
});
