// The S3 connector: ListObjectsV2 under a prefix, one page of up to `pageSize` (1,000) keys per `list` call (the
// continuation token is the cursor), the ETag as the version, GetObject for the bytes. Requests go to
// the configured endpoint only (the manifest's `$config.endpoint` grant), path-style, signed with SigV4.
import { signedGet } from "./sigv4.mjs";

const TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
  htm: "text/html",
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
};

const decodeXml = (s) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
const tag = (xml, name) => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? decodeXml(m[1]) : null;
};

function settings(config) {
  return {
    endpoint: config.endpoint,
    bucket: config.bucket,
    prefix: config.prefix ?? "",
    region: config.region ?? "us-east-1",
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    maxObjectBytes: config.maxObjectBytes ?? 32 * 1024 * 1024,
    pageSize: config.pageSize ?? 1000,
  };
}

async function s3Get(cfg, path, query, host) {
  const { url, headers } = await signedGet({ ...cfg, path, query });
  const res = await host.fetch(url, { headers });
  if (!res.ok) {
    const body = await res.text();
    const code = tag(body, "Code") ?? `HTTP ${res.status}`;
    throw new Error(`S3 answered ${res.status} ${code}: ${tag(body, "Message") ?? ""}`.trim());
  }
  return res;
}

export async function list(input, host) {
  const cfg = settings(host.config);
  const query = { "list-type": "2", prefix: cfg.prefix, "max-keys": String(cfg.pageSize) };
  if (input.cursor) query["continuation-token"] = input.cursor;
  const xml = await (await s3Get(cfg, `/${cfg.bucket}`, query, host)).text();
  const items = [];
  for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const key = tag(m[1], "Key");
    if (!key || key.endsWith("/")) continue;
    const size = Number(tag(m[1], "Size") ?? 0);
    if (size > cfg.maxObjectBytes) {
      host.log(`${key} is ${size} bytes, over maxObjectBytes ${cfg.maxObjectBytes}: skipped`);
      continue;
    }
    const etag = (tag(m[1], "ETag") ?? "").replace(/"/g, "");
    items.push({ id: key, version: etag || (tag(m[1], "LastModified") ?? ""), name: key.split("/").pop() });
  }
  const truncated = tag(xml, "IsTruncated") === "true";
  return { items, cursor: truncated ? tag(xml, "NextContinuationToken") : null };
}

export async function fetch(input, host) {
  const cfg = settings(host.config);
  const path = `/${cfg.bucket}/${input.id}`;
  const res = await s3Get(cfg, path, {}, host);
  const bytes = await res.bytes();
  const ext = /\.([a-z0-9]+)$/i.exec(input.id)?.[1]?.toLowerCase() ?? "";
  const declared = String(res.headers["content-type"] ?? "")
    .split(";")[0]
    .trim();
  const generic = !declared || declared === "binary/octet-stream" || declared === "application/octet-stream";
  return {
    bytes: Buffer.from(bytes).toString("base64"),
    mediaType: generic ? (TYPES[ext] ?? "application/octet-stream") : declared,
    name: input.id.split("/").pop(),
  };
}
