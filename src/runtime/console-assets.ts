import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { ConsoleAsset, ConsoleAssets } from "../context.js";

/**
 * Where `npm run build:console` writes (prestart runs it, so `npm start` always serves a fresh build):
 * dist/console. Compiled by `npm run build`, this file is dist/src/runtime/console-assets.js, so the
 * same folder is two levels up.
 */
export const DEFAULT_CONSOLE_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  import.meta.url.endsWith(".ts") ? "../../dist/console" : "../../console",
);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
/** Already-compressed formats gain nothing from gzip. */
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg", ".txt"]);

/**
 * Serves the built console from a folder, each file read and gzipped once and then kept in memory
 * (the whole build is a few hundred KB). Paths are resolved inside the folder only.
 */
export function consoleAssetsFromDir(dir: string): ConsoleAssets | undefined {
  const root = resolve(dir);
  if (!existsSync(join(root, "index.html"))) return undefined;
  const cache = new Map<string, Promise<ConsoleAsset | null>>();
  const load = async (path: string): Promise<ConsoleAsset | null> => {
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(root + sep)) return null;
    const ext = extname(file).toLowerCase();
    const type = TYPES[ext];
    if (!type) return null;
    try {
      const body = new Uint8Array(await readFile(file));
      return {
        body,
        type,
        gzip: COMPRESSIBLE.has(ext) ? new Uint8Array(gzipSync(body, { level: 9 })) : null,
      };
    } catch {
      return null;
    }
  };
  return {
    get(path) {
      if (path.includes("\0") || path.length > 512) return Promise.resolve(null);
      let hit = cache.get(path);
      if (!hit) {
        hit = load(path);
        // Only files that exist are remembered, so probing random URLs cannot grow the map.
        hit.then((a) => a ?? cache.delete(path));
        cache.set(path, hit);
      }
      return hit;
    },
  };
}
