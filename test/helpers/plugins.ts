import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Builds a plugin's tarball the way its author would, with `npm pack` (no network: packing reads only
 * the folder). `version` rewrites the copy's manifest and package.json first, to make a second version.
 */
export function packPlugin(folder: string, opts: { version?: string } = {}): { path: string; bytes: Buffer } {
  const work = mkdtempSync(join(tmpdir(), "aihub-pack-"));
  const src = join(work, "src");
  cpSync(resolve(folder), src, { recursive: true });
  if (opts.version) {
    for (const f of ["aihub-plugin.json", "package.json"]) {
      const json = JSON.parse(readFileSync(join(src, f), "utf8"));
      json.version = opts.version;
      writeFileSync(join(src, f), JSON.stringify(json));
    }
  }
  const out = execFileSync("npm", ["pack", "--json", "--offline", "--pack-destination", work], {
    cwd: src,
    env: { ...process.env, npm_config_offline: "true", npm_config_registry: "http://127.0.0.1:9" },
  }).toString();
  const name = JSON.parse(out)[0].filename as string;
  const path = join(work, name);
  return { path, bytes: readFileSync(path) };
}
