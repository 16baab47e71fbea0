import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../helpers/ingest.js";
import { SDK_PROFILES, type SdkServer, startSdkServer } from "../helpers/sdk-server.js";

/** Debian's interpreter: it has python3-httpx (0.23) and python3-pytest; the first python3 on PATH may not. */
const PYTHON = "/usr/bin/python3";
/** test_client.py 8, test_async_client.py 2, test_types.py 4, test_examples.py 2 (tests/). */
const EXPECTED_PASSED = 16;

/** The Python SDK's pytest suite (src/sdk/python), examples included, against the real app over HTTP. */
describe.each(SDK_PROFILES)("Python SDK against a live server (%s)", (profile) => {
  let server: SdkServer;

  beforeAll(async () => {
    server = await startSdkServer(profile);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });

  it("passes pytest", async () => {
    // spawn, not execSync: the server runs in this process and must keep answering while pytest runs.
    const child = spawn(PYTHON, ["-m", "pytest", "src/sdk/python/tests", "-q", "-p", "no:cacheprovider"], {
      env: {
        ...process.env,
        AIHUB_BASE_URL: server.baseURL,
        AIHUB_API_KEY: server.adminKey,
        AIHUB_SAMPLE_PDF: `${FIXTURES}pdf/pdfjs_tracemonkey.pdf`,
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).toBe(0);
    expect(Number(out.match(/(\d+) passed/)?.[1]), out).toBe(EXPECTED_PASSED);
  }, 300_000);
});
