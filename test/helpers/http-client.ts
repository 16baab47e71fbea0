/** A small client for a running AI Hub over HTTP (production-build and compose tests). */
export interface HubClient {
  call(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown },
  ): Promise<{ status: number; body: any }>;
  upload(
    key: string,
    kbId: string,
    file: { bytes: Uint8Array; name: string },
  ): Promise<{ status: number; body: any }>;
  /** Polls GET /v1/documents/{id} until ready or failed. */
  waitForTerminal(key: string, docId: string, timeoutMs?: number): Promise<any>;
  /** A tenant (created with the platform key) and a knowledge base. */
  tenantWithKb(platformKey: string): Promise<{ key: string; kbId: string }>;
}

export function hubClient(base: string): HubClient {
  const call: HubClient["call"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body };
  };
  return {
    call,
    async upload(key, kbId, file) {
      const form = new FormData();
      form.set("file", new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
      const res = await fetch(`${base}/v1/knowledge-bases/${kbId}/documents`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    },
    async waitForTerminal(key, docId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await call("GET", `/v1/documents/${docId}`, { key });
        if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
        if (r.body.status === "ready" || r.body.status === "failed") return r.body;
        if (Date.now() > deadline)
          throw new Error(`document ${docId} still ${r.body.status} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async tenantWithKb(platformKey) {
      const t = await call("POST", "/v1/tenants", { key: platformKey, body: { name: "Acme" } });
      if (t.status !== 201) throw new Error(`tenant create failed: ${t.status} ${JSON.stringify(t.body)}`);
      const key = t.body.key.key as string;
      const kb = await call("POST", "/v1/knowledge-bases", {
        key,
        body: { name: "Manuals", language: "en" },
      });
      if (kb.status !== 201) throw new Error(`kb create failed: ${kb.status} ${JSON.stringify(kb.body)}`);
      return { key, kbId: kb.body.id as string };
    },
  };
}
