/**
 * The web console for browser tests and the console benchmark: a production build (Vite, into a
 * temporary folder) served by a real `src/server.ts` process in the embedded profile, with a second
 * chat model from the local OpenAI stub next to the offline `extractive` one.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { type OpenAIStub, startOpenAIStub } from "./openai-stub.js";
import { type Spawned, spawnTs } from "./process.js";

export const CONSOLE_ADMIN_KEY = "console_test_platform_key_0123456789";

/** Builds src/console into `outDir` with Vite's API (the same config `npm run build:console` uses). */
export async function buildConsole(outDir: string): Promise<void> {
  const { build } = await import("vite");
  process.env.CONSOLE_OUT_DIR = outDir;
  try {
    await build({ configFile: join(process.cwd(), "src/console/vite.config.ts"), logLevel: "error" });
  } finally {
    delete process.env.CONSOLE_OUT_DIR;
  }
}

export interface ConsoleServer {
  base: string;
  stub: OpenAIStub;
  server: Spawned;
  /** A new tenant and its admin key, through the API. */
  newTenant(name: string): Promise<string>;
  api(key: string, method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startConsoleServer(opts: { consoleDir?: string; env?: Record<string, string> } = {}) {
  const root = await mkdtemp(join(tmpdir(), "aihub-console-"));
  const consoleDir = opts.consoleDir ?? join(root, "console");
  if (!opts.consoleDir) await buildConsole(consoleDir);
  const stub = await startOpenAIStub({
    answer: "Trace trees record hot loops [1]. They are compiled to native code [2].",
  });
  const server = spawnTs("src/server.ts", {
    DATA_DIR: join(root, "data"),
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    ADMIN_API_KEY: CONSOLE_ADMIN_KEY,
    CONSOLE_DIR: consoleDir,
    PROVIDERS_JSON: JSON.stringify([{ id: "stub", baseURL: stub.baseURL, apiKey: "sk-test" }]),
    MODELS_JSON: JSON.stringify([
      { id: "stub-gpt", provider: "stub", upstream: "stub-ok", price: { input: 2, output: 5 } },
    ]),
    RATE_LIMIT_PER_MINUTE: "0",
    ...opts.env,
  });
  const [, base] = await server.waitFor(/listening on (http:\/\/localhost:\d+)/, 300_000);
  const api: ConsoleServer["api"] = async (key, method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  return {
    base: base!,
    stub,
    server,
    api,
    async newTenant(name: string) {
      const r = await api(CONSOLE_ADMIN_KEY, "POST", "/v1/tenants", { name });
      return r.key.key as string;
    },
    async close() {
      server.child.kill("SIGTERM");
      await Promise.race([server.exited, new Promise((r) => setTimeout(r, 10_000))]);
      server.child.kill("SIGKILL");
      await stub.close();
      await rm(root, { recursive: true, force: true });
    },
  } satisfies ConsoleServer;
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousAxeViolations(
  page: Page,
): Promise<{ id: string; help: string; targets: string[] }[]> {
  // Evaluated, not added as a <script>: the server's CSP (script-src 'self') refuses inline tags.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(await axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return r.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
}
