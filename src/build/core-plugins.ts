/**
 * `npm run plugins:pack [-- DIR]`: the installable tarballs of every core plugin (src/plugins/core/*),
 * into DIR (default dist/plugins), with no network. A plugin's folder in the repository holds only its
 * own code; staging makes the self-contained package an install needs:
 * - `aihub.shared` in its package.json: files copied in from src/plugins/core/shared/ (one ZIP reader
 *   for the spreadsheet, presentation and EPUB loaders, kept once in the repository);
 * - `aihub.bundle`: dependencies copied in from this project's node_modules (installed by `npm ci`,
 *   versions pinned in the root package.json), each limited to the listed files, so the OCR plugin
 *   ships tesseract.js, one WebAssembly build of its core and its language data, not 80 MB of variants.
 *   They are `bundleDependencies`, so `npm pack` puts them in the tarball's node_modules.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const CORE_PLUGINS_DIR = join(root, "src/plugins/core");
const SHARED_DIR = join(CORE_PLUGINS_DIR, "shared");

interface StagingSpec {
  shared?: string[];
  /** package name -> files (relative to the package) to ship; ["*"] ships the package whole. */
  bundle?: Record<string, string[]>;
}

/** The core plugins' folder names (every folder with a manifest). */
export function corePluginNames(): string[] {
  return readdirSync(CORE_PLUGINS_DIR)
    .filter((name) => existsSync(join(CORE_PLUGINS_DIR, name, "aihub-plugin.json")))
    .sort();
}

/** Copies a plugin folder to `out` and adds its shared files and bundled dependencies. */
export function stagePlugin(folder: string, out: string): void {
  cpSync(resolve(folder), out, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as { aihub?: StagingSpec };
  for (const file of pkg.aihub?.shared ?? []) cpSync(join(SHARED_DIR, file), join(out, file));
  for (const [name, files] of Object.entries(pkg.aihub?.bundle ?? {})) {
    const from = join(root, "node_modules", name);
    if (!existsSync(from)) throw new Error(`${name} is not installed: run npm ci first`);
    const to = join(out, "node_modules", name);
    if (files.includes("*")) cpSync(from, to, { recursive: true });
    else {
      for (const f of ["package.json", ...files]) {
        mkdirSync(dirname(join(to, f)), { recursive: true });
        cpSync(join(from, f), join(to, f), { recursive: true });
      }
    }
  }
}

/**
 * `npm pack` of a staged plugin, offline (packing reads only the folder). Returns the tarball's path.
 * `edit` may change the staged copy first (tests make a second version this way).
 */
export function packPlugin(folder: string, dest: string, edit?: (staged: string) => void): string {
  const work = mkdtempSync(join(tmpdir(), "aihub-stage-"));
  try {
    const staged = join(work, "pkg");
    stagePlugin(folder, staged);
    edit?.(staged);
    mkdirSync(dest, { recursive: true });
    const out = execFileSync("npm", ["pack", "--json", "--offline", "--pack-destination", resolve(dest)], {
      cwd: staged,
      env: { ...process.env, npm_config_offline: "true", npm_config_registry: "http://127.0.0.1:9" },
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    return join(resolve(dest), (JSON.parse(out) as { filename: string }[])[0]!.filename);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = resolve(root, process.argv[2] ?? "dist/plugins");
  for (const name of corePluginNames()) {
    const path = packPlugin(join(CORE_PLUGINS_DIR, name), dest);
    console.log(path);
  }
}
