/**
 * Bundles the widget (vanilla TypeScript, every locale's strings) into one minified script with esbuild.
 * The server builds it at start and serves it from memory, so a fresh clone needs no build step;
 * `npm run build:widget` writes it to dist/widget.js for inspection and the size benchmark.
 *
 * Compiled (`npm run build`), the server runs without devDependencies, so without esbuild: it reads
 * the bundle that the build wrote to dist/widget.js instead, and bundles only if that file is missing
 * and esbuild is installed.
 */
import { readFile } from "node:fs/promises";
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
    // Compiled into dist/src/widget, the sources are those of the checkout dist/ sits in.
    entryPoints: [
      fileURLToPath(
        new URL(prebuiltWidgetUrl() ? "../../../src/widget/main.ts" : "./main.ts", import.meta.url),
      ),
    ],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome100", "firefox100", "safari15"],
    write: false,
    legalComments: "none",
    charset: "utf8",
  });
  return measured(result.outputFiles[0]!.text);
}

function measured(js: string): BuiltWidget {
  return { js, bytes: Buffer.byteLength(js), gzipBytes: gzipSync(js, { level: 9 }).length };
}

/** dist/widget.js as seen from the compiled dist/src/widget/build.js; null when running from source. */
export function prebuiltWidgetUrl(): URL | null {
  return import.meta.url.endsWith(".ts") ? null : new URL("../../widget.js", import.meta.url);
}

/** The widget for the server: the prebuilt bundle when compiled, else (or if it is missing) a fresh build. */
export async function loadWidget(): Promise<BuiltWidget> {
  const prebuilt = prebuiltWidgetUrl();
  if (prebuilt) {
    const js = await readFile(prebuilt, "utf8").catch(() => null);
    if (js !== null) return measured(js);
    const esbuild = await import("esbuild").catch(() => null);
    if (!esbuild) {
      throw new Error(
        `${fileURLToPath(prebuilt)} is missing and esbuild is not installed: run \`npm run build\``,
      );
    }
  }
  return buildWidget();
}
