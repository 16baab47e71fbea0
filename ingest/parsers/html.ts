import { DomUtils } from "htmlparser2";
import type { ParsedDocument } from "../types.js";
import { declaredHtmlCharset, decodeBytes } from "./decode.js";
import { parseCappedDocument } from "./dom.js";
import { emptyDocument } from "./errors.js";
import { type HtmlElement, type HtmlNode, walkHtmlBlocks } from "./html-blocks.js";
import { hasText, normalizeText, TextBuilder } from "./normalize.js";
import { sensibleTitle } from "./title.js";

/** Elements that are page furniture by definition. */
const FURNITURE_TAGS = new Set(["nav", "aside", "form", "dialog"]);
const FURNITURE_ROLES = new Set([
  "navigation",
  "banner",
  "contentinfo",
  "complementary",
  "search",
  "menu",
  "menubar",
  "dialog",
  "alertdialog",
]);
/** class/id words that mark navigation and other boilerplate, matched as whole words ("nav-bar", "mainMenu"). */
const FURNITURE_WORDS = new Set([
  "nav",
  "navbar",
  "navigation",
  "menu",
  "menubar",
  "submenu",
  "sidebar",
  "breadcrumb",
  "breadcrumbs",
  "cookie",
  "cookies",
  "consent",
  "gdpr",
  "footer",
  "header",
  "masthead",
  "banner",
  "social",
  "share",
  "sharing",
  "advert",
  "advertisement",
  "ads",
  "popup",
  "modal",
  "newsletter",
  "subscribe",
  "toolbar",
  "pagination",
  "pager",
  "skip",
  "skiplink",
]);
/** Never dropped for a class name: a <body class="has-sidebar"> is still the page. */
const CONTAINERS = new Set(["html", "body", "main", "article"]);

/**
 * `contentType` is the type given at upload (`text/html; charset=...`), which outranks the page's own
 * <meta> as an HTTP header would (WHATWG encoding sniffing: BOM, transport, meta prescan, then detection).
 */
export function parseHtml(bytes: Uint8Array, opts: { contentType?: string | null } = {}): ParsedDocument {
  const { text: source } = decodeBytes(bytes, declaredHtmlCharset(bytes, opts.contentType));
  const dom = parseCappedDocument(source, "web page", { lowerCaseTags: true, lowerCaseAttributeNames: true });

  const root = mainContent(dom.children);
  let result = extract(root, isFurniture);
  // A page whose whole content sits in something that looks like furniture still has to yield text.
  if (!hasText(result.text)) result = extract(dom.children);
  if (!hasText(result.text)) throw emptyDocument("web page");

  const titleEl = DomUtils.findOne((el) => el.name === "title", dom.children);
  const title =
    sensibleTitle(titleEl ? normalizeText(DomUtils.textContent(titleEl)).replace(/\n/g, " ") : null) ??
    sensibleTitle(result.headings.find((h) => h.level === 1)?.text);
  return { format: "html", title, ...result };
}

function extract(nodes: HtmlNode[], skip?: (el: HtmlElement) => boolean) {
  const builder = new TextBuilder();
  walkHtmlBlocks(nodes, builder, { skip });
  return builder.finish();
}

/** <main> when the page marks it, else its one outermost <article>, else the whole page. */
function mainContent(nodes: HtmlNode[]): HtmlNode[] {
  const main = DomUtils.findOne((el) => el.name === "main" || el.attribs.role === "main", nodes);
  if (main && hasText(DomUtils.textContent(main))) return [main];
  const articles = DomUtils.findAll((el) => el.name === "article", nodes).filter(
    (a) => !hasAncestor(a as HtmlElement, ["article"]),
  );
  if (articles.length === 1 && hasText(DomUtils.textContent(articles[0]!))) return [articles[0]!];
  return nodes;
}

export function isFurniture(el: HtmlElement): boolean {
  const name = el.name;
  if (FURNITURE_TAGS.has(name)) return true;
  // Inside an article, <header>/<footer> hold its title and byline, which are content.
  if ((name === "header" || name === "footer") && !hasAncestor(el, ["article", "main"])) return true;
  const a = el.attribs;
  if ("hidden" in a || a["aria-hidden"] === "true") return true;
  if (a.style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(a.style)) return true;
  if (a.role && FURNITURE_ROLES.has(a.role.toLowerCase())) return true;
  if (CONTAINERS.has(name)) return false;
  const words = `${a.class ?? ""} ${a.id ?? ""}`
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  if (!words.some((w) => FURNITURE_WORDS.has(w))) return false;
  // A "header" wrapper that holds the main content or the page's h1 is layout, not furniture.
  return !DomUtils.findOne((d) => d.name === "main" || d.name === "article" || d.name === "h1", el.children);
}

function hasAncestor(el: HtmlElement, names: string[]): boolean {
  for (let p = el.parent; p; p = p.parent) {
    if ("name" in p && names.includes((p as HtmlElement).name)) return true;
  }
  return false;
}
