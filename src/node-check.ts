/**
 * Imported first by every entry (server, worker, engine, CLIs): stops at once, naming the Node version
 * found and the one needed, instead of starting and then failing on every PDF (the extraction thread
 * relies on Node's own type stripping, which older versions lack).
 *
 * It imports nothing and uses only syntax that Node 18 and 20 parse, so on an old Node it runs before
 * anything that would fail there is evaluated (ES modules evaluate in import order).
 */

/** Keep in step with package.json `engines.node`. */
export const NODE_REQUIRED = "22.18.0";

/** A sentence saying what is wrong with `found` (e.g. "20.20.2"), or null when it is recent enough. */
export function nodeVersionProblem(found: string, required: string = NODE_REQUIRED): string | null {
  const need = required.split(".").map(Number);
  const have = found.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const h = have[i] ?? 0;
    const n = need[i] ?? 0;
    if (h > n) return null;
    if (h < n) {
      return (
        `AI Hub needs Node.js >= ${required}, but this is Node.js ${found.replace(/^v/, "")}. ` +
        "From a checkout with devDependencies, run it through npm (`npm start`, `npm run worker`, ...), " +
        "which uses the Node 22 pinned there; a production install (`npm ci --omit=dev`, the *:prod " +
        "scripts) needs Node 22.18 or newer installed."
      );
    }
  }
  return null;
}

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
