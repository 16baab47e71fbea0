import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The console's own build: src/console -> dist/console (served by the API at `/`). No React plugin:
 * esbuild compiles JSX (automatic runtime) and the console needs no fast refresh to be built.
 * CONSOLE_OUT_DIR lets tests and the benchmark build into a temporary folder.
 */
export default defineConfig({
  root: here,
  base: "/",
  publicDir: false,
  logLevel: "warn",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? resolve(here, "../../dist/console"),
    emptyOutDir: true,
    target: "es2022",
    // One chunk per page plus the shared shell; no map files in the served folder.
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // React libraries mark modules "use client" for server components; irrelevant in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
