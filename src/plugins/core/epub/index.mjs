// EPUB books as pages: a chapter (a spine item of the package document) is a page, in reading order,
// its XHTML reduced to text with block elements as line breaks.
import { attr, resolvePart, unxml } from "./xml.mjs";
import { unzip } from "./zip.mjs";

const BLOCK =
  /<\/?(p|div|h[1-6]|li|ul|ol|tr|table|section|article|blockquote|pre|dt|dd|figcaption|br|hr)\b[^>]*>/gi;

/** XHTML to text: head, scripts and styles out; blocks become line breaks; whitespace folded. */
export function xhtmlText(xhtml) {
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(xhtml)?.[1] ?? xhtml;
  const text = unxml(
    body
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, "")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(BLOCK, "\n")
      .replace(/<[^>]+>/g, ""),
  );
  return text
    .split("\n")
    .map((l) => l.replace(/[ \t\r\f\v\u00a0]+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}

export function parseEpub(bytes) {
  const zip = unzip(bytes);
  const read = (name) => zip.get(name)?.().toString("utf8");
  const container = read("META-INF/container.xml");
  const rootfile = container && /<rootfile\b[^>]*>/.exec(container)?.[0];
  const opfPath = rootfile && attr(rootfile, "full-path");
  const opf = opfPath && read(opfPath);
  if (!opf) throw new Error("not an EPUB (no META-INF/container.xml naming a package document)");
  const items = new Map();
  for (const m of opf.matchAll(/<(?:opf:)?item\b[^>]*>/g)) {
    items.set(attr(m[0], "id"), { href: attr(m[0], "href") ?? "", type: attr(m[0], "media-type") ?? "" });
  }
  const chapters = [];
  for (const m of opf.matchAll(/<(?:opf:)?itemref\b[^>]*>/g)) {
    const item = items.get(attr(m[0], "idref"));
    if (!item || !/html|xml/.test(item.type)) continue;
    const xhtml = read(resolvePart(opfPath, item.href));
    const text = xhtml ? xhtmlText(xhtml) : "";
    if (text) chapters.push(text);
  }
  const title = unxml(/<dc:title\b[^>]*>([\s\S]*?)<\/dc:title>/.exec(opf)?.[1] ?? "").trim();
  return { chapters, title };
}

export function load(input) {
  const { chapters, title } = parseEpub(Buffer.from(input.bytes, "base64"));
  return {
    pages: chapters.map((text, i) => ({ page: i + 1, text })),
    title: title || input.filename.replace(/\.epub$/i, ""),
  };
}
