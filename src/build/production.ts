/**
 * `npm run build [-- --out DIR]`: the production build, which runs with plain `node` and no
 * devDependencies (README "Production install"). Into DIR (default dist/):
 * - src/, ingest/, prompts/ compiled by tsc (tsconfig.build.json), JSON modules beside them;
 * - src/db/migrations (SQL and journal, read at start by the migrator);
 * - console/: the web console (vite), served at `/`;
 * - widget.js: the chat widget bundle, which the compiled server reads instead of running esbuild.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../node-check.js";
import { spawn } from "node:child_process";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWidget } from "../widget/build.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(join(root, "node_modules/.bin", command), args, {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}

export async function buildProduction(outDir: string): Promise<void> {
  const out = resolve(root, outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  // tsc and vite are each mostly one thread: run side by side.
  await Promise.all([
    run("tsc", ["-p", "tsconfig.build.json", "--outDir", out]),
    run("vite", ["build", "--config", "src/console/vite.config.ts"], {
      CONSOLE_OUT_DIR: join(out, "console"),
    }),
    buildWidget().then((w) => writeFile(join(out, "widget.js"), w.js)),
  ]);
  await cp(join(root, "src/db/migrations"), join(out, "src/db/migrations"), {
    recursive: true,
    filter: (src) => !src.endsWith(".ts"),
  });
  // The plugin sandbox's process entry is plain JavaScript run without the host's loaders (issue 19).
  await cp(join(root, "src/plugins/sandbox/child.mjs"), join(out, "src/plugins/sandbox/child.mjs"));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const at = process.argv.indexOf("--out");
  const outDir = at > 0 ? process.argv[at + 1] : "dist";
  if (!outDir) throw new Error("--out needs a folder");
  const started = Date.now();
  await buildProduction(outDir);
  console.log(
    `built ${outDir}/ in ${((Date.now() - started) / 1000).toFixed(1)} s: node ${outDir}/src/server.js`,
  );
}
