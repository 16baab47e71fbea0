// AWS Signature Version 4 for S3 requests without a body, written from the AWS specification ("Create
// a signed AWS API request") with Web Crypto, so the plugin needs no SDK and no Node module the sandbox
// refuses. The payload hash is that of the empty body.

const enc = new TextEncoder();
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
export const sha256Hex = async (text) => hex(await crypto.subtle.digest("SHA-256", enc.encode(text)));

async function hmac(key, text) {
  const k = await crypto.subtle.importKey(
    "raw",
    typeof key === "string" ? enc.encode(key) : key,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return crypto.subtle.sign("HMAC", k, enc.encode(text));
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ (and `/` in paths). */
export function uriEncode(s, keepSlash = false) {
  let out = "";
  for (const byte of enc.encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Headers for a signed GET of `path` (not yet encoded) with `query` (an object) on `endpoint`.
 * Returns { url, headers }.
 */
export async function signedGet({
  endpoint,
  path,
  query = {},
  region,
  accessKeyId,
  secretAccessKey,
  now = new Date(),
}) {
  const base = new URL(endpoint);
  const canonicalUri = uriEncode(`${base.pathname.replace(/\/$/, "")}${path}`, true) || "/";
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${uriEncode(k)}=${uriEncode(String(query[k]))}`)
    .join("&");
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers = { host: base.host, "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": amzDate };
  const signedHeaders = Object.keys(headers).sort().join(";");
  const canonicalHeaders = Object.keys(headers)
    .sort()
    .map((k) => `${k}:${headers[k]}\n`)
    .join("");
  const request = ["GET", canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, EMPTY_SHA256].join(
    "\n",
  );
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, await sha256Hex(request)].join("\n");
  let key = await hmac(`AWS4${secretAccessKey}`, day);
  for (const part of [region, "s3", "aws4_request"]) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  const { host: _host, ...sent } = headers;
  return {
    url: `${base.origin}${canonicalUri}${canonicalQuery ? `?${canonicalQuery}` : ""}`,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}
