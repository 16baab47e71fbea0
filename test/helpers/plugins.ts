import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packPlugin as packStaged } from "../../src/build/core-plugins.js";

/**
 * Builds a plugin's tarball the way `npm run plugins:pack` does: staged (shared files and bundled
 * dependencies copied in), then `npm pack` (no network: packing reads only the folder). `version`
 * rewrites the copy's manifest and package.json first, to make a second version.
 */
export function packPlugin(folder: string, opts: { version?: string } = {}): { path: string; bytes: Buffer } {
  const work = mkdtempSync(join(tmpdir(), "aihub-pack-"));
  const path = packStaged(folder, work, (staged) => {
    if (!opts.version) return;
    for (const f of ["aihub-plugin.json", "package.json"]) {
      const json = JSON.parse(readFileSync(join(staged, f), "utf8"));
      json.version = opts.version;
      writeFileSync(join(staged, f), JSON.stringify(json));
    }
  });
  return { path, bytes: readFileSync(path) };
}
