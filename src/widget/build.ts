/**
 * Bundles the widget (vanilla TypeScript, every locale's strings) into one minified script with esbuild.
 * The server builds it at start and serves it from memory, so a fresh clone needs no build step;
 * `npm run build:widget` writes it to dist/widget.js for inspection and the size benchmark.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface BuiltWidget {
  js: string;
  bytes: number;
  gzipBytes: number;
}

export async function buildWidget(): Promise<BuiltWidget> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./main.ts", import.meta.url))],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome100", "firefox100", "safari15"],
    write: false,
    legalComments: "none",
    charset: "utf8",
  });
  const js = result.outputFiles[0]!.text;
  const bytes = Buffer.byteLength(js);
  return { js, bytes, gzipBytes: gzipSync(js, { level: 9 }).length };
}
