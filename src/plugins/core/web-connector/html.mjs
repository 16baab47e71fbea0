// Just enough HTML and sitemap reading to crawl: links, the title, sitemap <loc>s. The host's own HTML
// parser does the real text extraction at ingestion; here only URLs matter.

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };
export const decodeEntities = (s) =>
  s
    .replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e) => ENTITIES[e])
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));

/** The href of every <a> and <area>, resolved against the page (or its <base href>), without fragments. */
export function links(html, pageUrl) {
  const base = /<base\s[^>]*href\s*=\s*["']([^"']+)["']/i.exec(html)?.[1];
  const from = base ? new URL(decodeEntities(base), pageUrl).href : pageUrl;
  const out = [];
  const re = /<(?:a|area)\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi;
  for (const m of html.matchAll(re)) {
    const raw = decodeEntities((m[1] ?? m[2] ?? m[3] ?? "").trim());
    if (!raw || /^(mailto|javascript|tel|data):/i.test(raw)) continue;
    try {
      const u = new URL(raw, from);
      u.hash = "";
      if (u.protocol === "http:" || u.protocol === "https:") out.push(u.href);
    } catch {
      // Not a URL: ignored, as a browser would.
    }
  }
  return out;
}

export function title(html) {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m ? decodeEntities(m[1].replace(/\s+/g, " ").trim()) : "";
}

/** The <loc>s of a sitemap, and whether it is a sitemap index (its <loc>s are more sitemaps). */
export function sitemap(xml) {
  const locs = [...xml.matchAll(/<loc>\s*([\s\S]*?)\s*<\/loc>/gi)].map((m) => decodeEntities(m[1]));
  return { index: /<sitemapindex[\s>]/i.test(xml), locs };
}
