import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { packPlugin as packStaged } from "../../src/build/core-plugins.js";
import { readTarball } from "../../src/plugins/install/tarball.js";
import { readManifest } from "../../src/plugins/package.js";
import { PluginSandbox, type PoolOptions as SandboxOptions } from "../../src/plugins/sandbox/pool.js";

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

/**
 * A plugin packed as above, unpacked by the host's own tarball reader and run in its sandbox, as an
 * install would run it. The sandbox is added to `open`, for the caller to close after its tests.
 */
export async function sandboxFromTarball(
  folder: string,
  open: PluginSandbox[],
  opts: SandboxOptions = {},
): Promise<PluginSandbox> {
  const { bytes } = packPlugin(folder);
  const dir = mkdtempSync(join(tmpdir(), "aihub-sandbox-"));
  for (const f of readTarball(bytes)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.bytes);
  }
  const s = new PluginSandbox(dir, await readManifest(dir), opts);
  open.push(s);
  return s;
}
