import { readFileSync } from "node:fs";
import pg from "pg";
import { PLATFORM_KEY } from "./app.js";
import type { Cluster } from "./cluster.js";
import { TEST_DATABASE_URL } from "./database.js";
import { hubClient } from "./http-client.js";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;
export const fixtureBytes = (path: string) => new Uint8Array(readFileSync(`${FIXTURES}${path}`));

/** An organization with an admin key and a knowledge base, made through API process `i`. */
export async function orgWithKb(c: Cluster, i = 0, kbBody: Record<string, unknown> = {}) {
  const api = hubClient(c.apiUrls[i]!);
  const t = await api.call("POST", "/v1/tenants", { key: PLATFORM_KEY, body: { name: "Fault" } });
  if (t.status !== 201) throw new Error(`tenant: ${t.status} ${JSON.stringify(t.body)}`);
  const key = t.body.key.key as string;
  const kb = await api.call("POST", "/v1/knowledge-bases", { key, body: { name: "Docs", ...kbBody } });
  if (kb.status !== 201) throw new Error(`kb: ${kb.status} ${JSON.stringify(kb.body)}`);
  return { key, tenantId: t.body.tenant.id as string, kbId: kb.body.id as string };
}

/** Uploads bytes through API process `i`; the raw answer (status and body). */
export async function uploadTo(
  c: Cluster,
  i: number,
  key: string,
  kbId: string,
  bytes: Uint8Array,
  name: string,
) {
  return hubClient(c.apiUrls[i]!).upload(key, kbId, { bytes, name });
}

/** Rows of a query in the cluster's schema, read straight from PostgreSQL (not through the proxy). */
export async function sqlRows<T = Record<string, unknown>>(c: Cluster, text: string, values: unknown[] = []) {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${c.schema}`,
  });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Points of one document version in the engine, counted exactly, whatever the collection is called. */
export async function enginePoints(c: Cluster, versionId: string): Promise<number> {
  const engineUrl = c.engineUrl;
  const collections = (await (await fetch(`${engineUrl}/collections`)).json()) as {
    result: { collections: { name: string }[] };
  };
  let total = 0;
  for (const { name } of collections.result.collections) {
    const r = await fetch(`${engineUrl}/collections/${name}/points/count`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        exact: true,
        filter: { must: [{ key: "doc_version", match: { value: versionId } }] },
      }),
    });
    total += ((await r.json()) as { result: { count: number } }).result.count;
  }
  return total;
}

/** CPU time (user + system, in clock ticks) a process has used so far, from /proc. */
export function cpuTicks(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
