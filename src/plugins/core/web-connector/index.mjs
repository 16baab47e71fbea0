// The web connector: lists the pages of one site (from its sitemap, or by following links from a start
// URL), a batch of pages per `list` call so each call stays well inside the time limit, and hands their
// bytes to the host on `fetch`. Only the configured URL's host is fetched (the manifest's `$config.url`
// grant makes the host refuse anything else); robots.txt decides which of its paths.
import { links, sitemap, title } from "./html.mjs";
import { AGENT, allowed, robotsFor } from "./robots.mjs";

const UA = `${AGENT}/1.0 (AI Hub connector)`;
/** Pages fetched per list call. */
const BATCH = 10;
const MAX_SITEMAPS = 50;
const INGESTIBLE = new Set([
  "text/html",
  "application/xhtml+xml",
  "text/plain",
  "text/markdown",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]);

// Pages read while listing, so `fetch` right after does not download them again; a new run starts clean.
const pages = new Map();
const robotsByOrigin = new Map();

function settings(config) {
  const start = new URL(config.url);
  start.hash = "";
  const isSitemap = /\.xml$/i.test(start.pathname);
  return {
    start,
    isSitemap,
    maxPages: config.maxPages ?? 200,
    maxPageBytes: config.maxPageBytes ?? 5 * 1024 * 1024,
    followLinks: config.followLinks ?? !isSitemap,
  };
}

const sha256 = async (bytes) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

/** A page as the connector sees it; null when it is gone (404/410) or not something to ingest. */
async function getPage(url, cfg, host) {
  const res = await host.fetch(url, { headers: { "user-agent": UA } });
  if (res.status === 404 || res.status === 410) return null;
  if (!res.ok) return { url, error: res.status };
  const mediaType = String(res.headers["content-type"] ?? "text/html")
    .split(";")[0]
    .trim()
    .toLowerCase();
  if (!INGESTIBLE.has(mediaType)) return null;
  const bytes = await res.bytes();
  if (bytes.length > cfg.maxPageBytes) {
    host.log(`${url} is ${bytes.length} bytes, over maxPageBytes ${cfg.maxPageBytes}: skipped`);
    return null;
  }
  const html = mediaType.includes("html") ? new TextDecoder().decode(bytes) : null;
  const path = new URL(url).pathname;
  return {
    url,
    bytes,
    mediaType,
    html,
    version: await sha256(bytes),
    name: (html && title(html)) || path.split("/").filter(Boolean).pop() || new URL(url).host,
  };
}

async function rulesFor(origin, host) {
  if (!robotsByOrigin.has(origin)) {
    robotsByOrigin.set(
      origin,
      await robotsFor(origin, (u) => host.fetch(u, { headers: { "user-agent": UA } })),
    );
  }
  return robotsByOrigin.get(origin);
}

/** The pages a sitemap (or sitemap index) lists, on the same host. */
async function sitemapUrls(cfg, host) {
  const todo = [cfg.start.href];
  const out = [];
  for (let n = 0; todo.length && n < MAX_SITEMAPS; n++) {
    const res = await host.fetch(todo.shift(), { headers: { "user-agent": UA } });
    if (!res.ok) throw new Error(`the sitemap ${cfg.start.href} answered ${res.status}`);
    const map = sitemap(await res.text());
    for (const loc of map.locs) {
      let u;
      try {
        u = new URL(loc, cfg.start);
      } catch {
        continue;
      }
      u.hash = "";
      if (u.host !== cfg.start.host) continue;
      (map.index ? todo : out).push(u.href);
    }
  }
  return out;
}

const encode = (state) => Buffer.from(JSON.stringify(state)).toString("base64");
const decode = (cursor) => JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));

export async function list(input, host) {
  const cfg = settings(host.config);
  const origin = cfg.start.origin;
  let state;
  if (!input.cursor) {
    pages.clear();
    robotsByOrigin.delete(origin);
    const queue = cfg.isSitemap ? [...new Set(await sitemapUrls(cfg, host))] : [cfg.start.href];
    state = { queue, seen: [...queue], listed: 0 };
  } else {
    state = decode(input.cursor);
  }
  const rules = await rulesFor(origin, host);
  const seen = new Set(state.seen);
  const items = [];
  let fetched = 0;
  while (state.queue.length && fetched < BATCH && state.listed < cfg.maxPages) {
    const url = state.queue.shift();
    if (!allowed(rules, url)) continue;
    fetched++;
    const page = await getPage(url, cfg, host);
    if (!page) continue;
    state.listed++;
    if (page.error) {
      // Listed, so its document is kept; its fetch fails and the run counts it.
      items.push({ id: url, version: `unavailable-${page.error}`, name: url });
      continue;
    }
    pages.set(url, page);
    items.push({ id: url, version: page.version, name: page.name });
    if (!cfg.followLinks || !page.html) continue;
    for (const link of links(page.html, url)) {
      if (new URL(link).host !== cfg.start.host || seen.has(link)) continue;
      seen.add(link);
      state.queue.push(link);
    }
  }
  state.seen = [...seen];
  const more = state.queue.length > 0 && state.listed < cfg.maxPages;
  return { items, cursor: more ? encode(state) : null };
}

export async function fetch(input, host) {
  const cfg = settings(host.config);
  const page = pages.get(input.id) ?? (await getPage(input.id, cfg, host));
  pages.delete(input.id);
  if (!page) throw new Error(`${input.id} is gone or no longer a page to ingest`);
  if (page.error) throw new Error(`${input.id} answered ${page.error}`);
  return { bytes: Buffer.from(page.bytes).toString("base64"), mediaType: page.mediaType, name: page.name };
}
