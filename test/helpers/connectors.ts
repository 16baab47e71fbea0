import { expect } from "vitest";
import type { CreateConnectorRequest } from "../../src/routes/connectors/schema.js";
import type { TestApp } from "./app.js";
import { PLATFORM_KEY } from "./app.js";
import { packPlugin } from "./plugins.js";

/** Installs a plugin folder the way an operator would: its `npm pack` tarball, with its sha256. */
export async function installTarball(t: TestApp, folder: string) {
  const { bytes } = packPlugin(folder);
  const sha = (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex");
  const res = await t.app.request(`/v1/platform/plugins?sha256=${sha}`, {
    method: "POST",
    headers: { authorization: `Bearer ${PLATFORM_KEY}`, "content-type": "application/gzip" },
    body: new Uint8Array(bytes),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** Enables a plugin for the organization of `adminKey` and binds it to a knowledge base. */
export async function bindConnector(
  t: TestApp,
  adminKey: string,
  kbId: string,
  body: CreateConnectorRequest,
) {
  const on = await t.call("PUT", `/v1/plugins/${body.plugin_id}`, { key: adminKey, body: { enabled: true } });
  expect(on.status, JSON.stringify(on.body)).toBe(200);
  const r = await t.call("POST", `/v1/knowledge-bases/${kbId}/connectors`, { key: adminKey, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

/** Polls a connector until it is no longer running, and returns it. */
export async function connectorSettled(
  t: TestApp,
  key: string,
  kbId: string,
  id: string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.call("GET", `/v1/knowledge-bases/${kbId}/connectors/${id}`, { key });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (r.body.state !== "running" && r.body.last_run?.finished_at) return r.body;
    if (Date.now() > deadline) throw new Error(`connector ${id} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a run now and waits for its outcome (the connector, with `last_run`). */
export async function syncNow(t: TestApp, key: string, kbId: string, id: string) {
  const r = await t.call("POST", `/v1/knowledge-bases/${kbId}/connectors/${id}/sync`, { key });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  expect(r.body.state).toBe("running");
  return connectorSettled(t, key, kbId, id);
}

/** The knowledge base's documents by external_id, with their status. */
export async function documentsByExternalId(t: TestApp, key: string, kbId: string) {
  const r = await t.call("GET", `/v1/knowledge-bases/${kbId}/documents?limit=100`, { key });
  expect(r.status).toBe(200);
  return new Map<string, { id: string; status: string; title: string }>(
    (r.body.data as { external_id: string; id: string; status: string; title: string }[]).map((d) => [
      d.external_id,
      d,
    ]),
  );
}
