import { resolve } from "node:path";
import { describe } from "vitest";
import type { TestApp } from "../helpers/app.js";
import { type Case, describeMatrix, type World } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";

/**
 * The role matrix for an organization's plugins and its knowledge bases' connectors (issue 19);
 * installing plugins is the platform's (people file). Connectors point at a closed port: their runs
 * fail to list, which is all a security case needs.
 */
const SOURCE = { url: "http://127.0.0.1:9/" };

async function newConnector(t: TestApp, key: string, kb: string): Promise<string> {
  const r = await t.call("POST", `/v1/knowledge-bases/${kb}/connectors`, {
    key,
    body: { plugin_id: "web-connector", config: SOURCE },
  });
  if (r.status !== 201) throw new Error(`connector ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

const cases = (w: World): Case[] => {
  const fresh = async () => ({ connector: await newConnector(w.t, w.ownerKeyA, w.A.kb) });
  return [
    { method: "GET", path: () => "/v1/plugins", need: "admin", scoped: false },
    {
      method: "PUT",
      path: (i) => `/v1/plugins/${i.plugin}`,
      need: "admin",
      body: () => ({ enabled: false }),
      scoped: false,
    },
    { method: "GET", path: (i) => `/v1/knowledge-bases/${i.kb}/connectors`, need: "ingest", scoped: true },
    {
      method: "POST",
      path: (i) => `/v1/knowledge-bases/${i.kb}/connectors`,
      need: "admin",
      body: () => ({ plugin_id: "web-connector", config: SOURCE }),
      scoped: true,
    },
    {
      method: "GET",
      path: (i) => `/v1/knowledge-bases/${i.kb}/connectors/${i.connector}`,
      need: "ingest",
      scoped: true,
    },
    {
      method: "POST",
      path: (i) => `/v1/knowledge-bases/${i.kb}/connectors/${i.connector}/sync`,
      need: "ingest",
      // A run holds its connector: each allowed call starts one on a connector of its own.
      fresh,
      scoped: true,
    },
    {
      method: "DELETE",
      path: (i) => `/v1/knowledge-bases/${i.kb}/connectors/${i.connector}`,
      need: "admin",
      fresh,
      scoped: true,
    },
  ];
};

describe("role-by-route matrix: plugins and connectors", () => {
  const w = describeMatrix("plugins", cases, {
    // Installed once for the platform (organization B's seed finds them installed: 409, which is fine).
    seed: async (w, side) => {
      for (const dir of ["fixtures/plugins/example-footer", "src/plugins/core/web-connector"]) {
        await w.t.call("POST", "/v1/platform/plugins", { body: { folder: resolve(dir) } });
      }
      const on = await w.t.call("PUT", "/v1/plugins/web-connector", {
        key: side.key,
        body: { enabled: true },
      });
      if (on.status !== 200) throw new Error(`enable ${on.status} ${JSON.stringify(on.body)}`);
      return { connector: await newConnector(w.t, side.key, side.ids.kb) };
    },
  });
  describeRouteSecurity("plugins", w, cases(w));
});
