/**
 * Auth benchmark: what signing in costs with the configured scrypt parameters, and what a request
 * authenticated by the session cookie costs compared with the same request authenticated by an API
 * key. Embedded profile (PGlite in memory), in-process requests (`app.request`), one at a time.
 * BENCH_SIGNINS (20) sign-ins; BENCH_REQUESTS (3000) requests per credential, interleaved.
 * Writes test/bench/results/auth.json and auth.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { hashPassword, verifyPassword } from "../../src/auth/passwords.js";
import { createTestApp } from "../helpers/app.js";
import { openTestDatabase } from "../helpers/database.js";
import { memoryMailer, PASSWORD, signedUpPerson } from "../helpers/people.js";
import { pct } from "./stats.js";

const ROOT = join(import.meta.dirname, "../..");
const SIGNINS = Number(process.env.BENCH_SIGNINS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const LOG_N = 15; // the default PASSWORD_SCRYPT_LOG_N

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const summary = (ms: number[]) => ({
  n: ms.length,
  p50: round(pct(ms, 50)),
  p95: round(pct(ms, 95)),
  p99: round(pct(ms, 99)),
  max: round(Math.max(...ms)),
});

async function main() {
  const loadAtStart = loadavg();
  const db = await openTestDatabase("pglite");
  const mailer = memoryMailer();
  const t = await createTestApp(
    db,
    { mailer },
    { PASSWORD_SCRYPT_LOG_N: String(LOG_N), RATE_LIMIT_PER_MINUTE: "0" },
  );

  // 1. The KDF alone, then the whole sign-in request (throttle check, lookup, verify, session row, audit).
  const hash = await hashPassword(PASSWORD, LOG_N);
  const kdf: number[] = [];
  for (let i = 0; i < SIGNINS; i++) {
    const s = performance.now();
    await verifyPassword(PASSWORD, hash);
    kdf.push(performance.now() - s);
  }
  const person = await signedUpPerson(t, mailer, "bench@example.com");
  const signIn: number[] = [];
  for (let i = 0; i < SIGNINS; i++) {
    const s = performance.now();
    const r = await t.app.request("/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@example.com", password: PASSWORD }),
    });
    await r.text();
    signIn.push(performance.now() - s);
    if (r.status !== 200) throw new Error(`sign-in ${r.status}`);
  }

  // 2. The same request by cookie and by key, interleaved so machine noise hits both alike.
  const key = (await person.browser.call("POST", "/v1/keys", { body: { name: "bench", scopes: ["admin"] } }))
    .body.key;
  const cookie = person.browser.cookie!;
  const path = "/v1/knowledge-bases";
  await person.browser.call("POST", path, { body: { name: "bench" } });
  const byKey: number[] = [];
  const byCookie: number[] = [];
  const once = async (headers: Record<string, string>, into: number[]) => {
    const s = performance.now();
    const r = await t.app.request(path, { headers });
    await r.text();
    into.push(performance.now() - s);
    if (r.status !== 200) throw new Error(`${path} ${r.status}`);
  };
  for (let i = 0; i < 200; i++) {
    await once({ authorization: `Bearer ${key}` }, []);
    await once({ cookie }, []);
  }
  for (let i = 0; i < REQUESTS; i++) {
    if (i % 2) {
      await once({ authorization: `Bearer ${key}` }, byKey);
      await once({ cookie }, byCookie);
    } else {
      await once({ cookie }, byCookie);
      await once({ authorization: `Bearer ${key}` }, byKey);
    }
  }
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      load_average: { at_start: loadAtStart, at_end: loadavg() },
    },
    kdf: {
      algorithm: "scrypt",
      N: 2 ** LOG_N,
      r: 8,
      p: 1,
      memory_mib: (128 * 2 ** LOG_N * 8) / 2 ** 20,
      verify_ms: summary(kdf),
    },
    sign_in_request_ms: summary(signIn),
    request: {
      path: `GET ${path}`,
      api_key_ms: summary(byKey),
      session_cookie_ms: summary(byCookie),
      cookie_minus_key_p50_ms: round(pct(byCookie, 50) - pct(byKey, 50)),
    },
  };
  await db.cleanup();
  mkdirSync(join(ROOT, "test/bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "test/bench/results/auth.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, "test/bench/results/auth.md"), markdown(results));
  console.log(markdown(results));
}

function markdown(r: {
  date: string;
  machine: {
    cpus: number;
    cpu?: string;
    node: string;
    load_average: { at_start: number[]; at_end: number[] };
  };
  kdf: { N: number; r: number; p: number; memory_mib: number; verify_ms: ReturnType<typeof summary> };
  sign_in_request_ms: ReturnType<typeof summary>;
  request: {
    path: string;
    api_key_ms: ReturnType<typeof summary>;
    session_cookie_ms: ReturnType<typeof summary>;
    cookie_minus_key_p50_ms: number;
  };
}) {
  const row = (name: string, s: ReturnType<typeof summary>) =>
    `| ${name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} |`;
  return `# Auth benchmark (${r.date.slice(0, 10)}, ${r.machine.cpus} CPUs ${r.machine.cpu ?? ""}, Node ${r.machine.node})

scrypt N=${r.kdf.N} (2^${Math.log2(r.kdf.N)}), r=${r.kdf.r}, p=${r.kdf.p}: ${r.kdf.memory_mib} MiB per hash. Embedded profile (PGlite), in-process requests, one at a time.

| Measured (ms) | n | p50 | p95 | p99 | max |
|---|---|---|---|---|---|
${row("scrypt verify alone", r.kdf.verify_ms)}
${row("POST /v1/auth/sign-in (whole request)", r.sign_in_request_ms)}
${row(`${r.request.path} with API key`, r.request.api_key_ms)}
${row(`${r.request.path} with session cookie`, r.request.session_cookie_ms)}

Session cookie minus API key, p50: **${r.request.cookie_minus_key_p50_ms} ms** (target <= 0.5 ms).
Load average at start / end: ${r.machine.load_average.at_start.map((x) => x.toFixed(2)).join(" ")} / ${r.machine.load_average.at_end.map((x) => x.toFixed(2)).join(" ")} (cores shared with other jobs).
`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
