// The sandbox process of one plugin (issue 19). Plain JavaScript so it runs without the host's loaders.
// Started by ./process.ts with Node's permission model: file reads only in the plugin's folder (and this
// file), no writes, no child processes, no workers. Node's permission model does not cover sockets, so
// network modules are refused at import and the global fetch is replaced by one that asks the host,
// which fetches only from the hosts the manifest declared.
import { registerHooks } from "node:module";
import { pathToFileURL } from "node:url";

const ARGS = JSON.parse(process.argv[2] ?? "{}");
const { dir, main, hostCalls = [], files = "none" } = ARGS;

const DENIED = new Set([
  "net",
  "http",
  "https",
  "http2",
  "tls",
  "dgram",
  "dns",
  "dns/promises",
  "child_process",
  "cluster",
  "worker_threads",
  "inspector",
  "inspector/promises",
]);
if (files !== "own") for (const m of ["fs", "fs/promises"]) DENIED.add(m);

class PermissionDenied extends Error {
  constructor(message) {
    super(message);
    this.code = "plugin_permission_denied";
    // Told to the host at once, so the call fails even if the plugin catches this.
    process.send({ t: "host-call", id: 0, call: "denied", args: [message] });
  }
}

const deniedName = (spec) => {
  const bare = spec.startsWith("node:") ? spec.slice(5) : spec;
  return DENIED.has(bare) ? bare : null;
};
registerHooks({
  resolve(spec, ctx, next) {
    const name = deniedName(spec);
    if (name) throw new PermissionDenied(`module ${name} is not available to plugins`);
    return next(spec, ctx);
  },
});
const getBuiltin = process.getBuiltinModule?.bind(process);
process.getBuiltinModule = (spec) => {
  const name = deniedName(spec);
  if (name) throw new PermissionDenied(`module ${name} is not available to plugins`);
  return getBuiltin(spec);
};

let nextHostCall = 1;
const waiting = new Map();
function hostCall(call, args) {
  return new Promise((resolve, reject) => {
    const id = nextHostCall++;
    waiting.set(id, { resolve, reject });
    process.send({ t: "host-call", id, call, args });
  });
}

/** The host API a plugin receives as the second argument of every operation. */
const host = {
  async fetch(url, init = {}) {
    const r = await hostCall("fetch", [
      String(url),
      { method: init.method, headers: init.headers, body: init.body },
    ]);
    const bytes = Buffer.from(r.body, "base64");
    return {
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      headers: r.headers,
      url: r.url,
      text: async () => bytes.toString("utf8"),
      json: async () => JSON.parse(bytes.toString("utf8")),
      bytes: async () => new Uint8Array(bytes),
    };
  },
  async readFile(path) {
    return Buffer.from(await hostCall("readFile", [String(path)]), "base64");
  },
  log(message) {
    if (hostCalls.includes("log"))
      process.send({ t: "host-call", id: 0, call: "log", args: [String(message)] });
  },
};
globalThis.fetch = (url, init) => host.fetch(url, init);
for (const g of ["WebSocket", "EventSource"]) delete globalThis[g];

let plugin;
async function load() {
  plugin ??= await import(pathToFileURL(`${dir}/${main}`).href);
  return plugin;
}

process.on("message", async (msg) => {
  if (msg.t === "host-result") {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (!w) return;
    if (msg.ok) w.resolve(msg.value);
    else w.reject(Object.assign(new Error(msg.message), { code: msg.code }));
    return;
  }
  if (msg.t !== "call") return;
  try {
    const mod = await load();
    const fn = mod[msg.op] ?? mod.default?.[msg.op];
    if (typeof fn !== "function") throw new Error(`the plugin does not export the operation ${msg.op}`);
    const value = await fn(msg.input, { ...host, config: msg.config });
    process.send({ t: "result", id: msg.id, ok: true, value });
  } catch (err) {
    const code = err?.code === "ERR_ACCESS_DENIED" ? "plugin_permission_denied" : err?.code;
    process.send({
      t: "result",
      id: msg.id,
      ok: false,
      code,
      message: String(err?.message ?? err).slice(0, 500),
    });
  }
});
process.send({ t: "ready" });
