import { ElementType, type parseDocument } from "htmlparser2";
import type { TextBuilder } from "./normalize.js";

/**
 * Turns an HTML tree (a web page, or mammoth's rendering of a DOCX) into text blocks: block elements
 * become paragraphs, headings become "# " lines, list items "- "/"1. " lines, table rows "a | b | c" lines.
 */
export type HtmlNode = ReturnType<typeof parseDocument>["children"][number];
export type HtmlElement = Extract<HtmlNode, { name: string; attribs: Record<string, string> }>;

type HtmlText = Extract<HtmlNode, { data: string }>;

export function isElement(node: HtmlNode): node is HtmlElement {
  return "name" in node && "attribs" in node;
}

function isText(node: HtmlNode): node is HtmlText {
  return node.type === ElementType.Text;
}

export interface BlockWalkOptions {
  /** Drop an element and everything inside it. */
  skip?: (el: HtmlElement) => boolean;
  /** Replace the default "- " / "1. " marker of a list item (footnotes read better as "[1] "). */
  itemMarker?: (el: HtmlElement) => string | undefined;
}

/** Never text: code, styling, embedded media, form controls, the <head>. */
const INVISIBLE = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "title",
  "svg",
  "iframe",
  "object",
  "embed",
  "canvas",
  "audio",
  "video",
  "select",
  "option",
  "textarea",
  "button",
  "input",
  "map",
]);
const BLOCKS = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "aside",
  "nav",
  "blockquote",
  "figure",
  "figcaption",
  "address",
  "dl",
  "dt",
  "dd",
  "details",
  "summary",
  "hr",
  "form",
  "fieldset",
  "legend",
  "center",
  "body",
  "html",
  "caption",
]);

type Kind = "li" | "tr" | "other";

export function walkHtmlBlocks(
  nodes: HtmlNode[],
  builder: TextBuilder,
  options: BlockWalkOptions = {},
): void {
  let inline: string[] = [];
  let marker: { text: string } | null = null;
  let lastKind: Kind = "other";
  let preDepth = 0;
  const lists: { ordered: boolean; next: number }[] = [];

  const flush = (kind: Kind = "other", extra: { heading?: number; preserveIndent?: boolean } = {}) => {
    const raw = inline.join("");
    inline = [];
    if (!/\S/.test(raw)) return;
    const text = marker ? marker.text + raw.replace(/^\s+/, "") : raw;
    const isItem = marker !== null;
    marker = null;
    const effectiveKind: Kind = isItem ? "li" : kind;
    const join = effectiveKind !== "other" && effectiveKind === lastKind ? "line" : "paragraph";
    if (builder.block(text, { ...extra, join, preserveIndent: extra.preserveIndent || isItem })) {
      lastKind = effectiveKind;
    }
  };

  const walk = (node: HtmlNode): void => {
    if (isText(node)) {
      inline.push(preDepth > 0 ? node.data : node.data.replace(/\s+/g, " "));
      return;
    }
    if (!isElement(node)) return;
    const el = node;
    const name = el.name.toLowerCase();
    if (INVISIBLE.has(name) || options.skip?.(el)) return;
    if (name === "br") {
      inline.push("\n");
      return;
    }
    const heading = /^h([1-6])$/.exec(name);
    if (heading) {
      flush();
      el.children.forEach(walk);
      flush("other", { heading: Number(heading[1]) });
    } else if (name === "pre") {
      flush();
      preDepth++;
      el.children.forEach(walk);
      preDepth--;
      flush("other", { preserveIndent: true });
    } else if (name === "ul" || name === "ol" || name === "menu") {
      flush();
      const start = Number.parseInt(el.attribs.start ?? "1", 10);
      lists.push({ ordered: name === "ol", next: Number.isFinite(start) ? start : 1 });
      el.children.forEach(walk);
      lists.pop();
      flush();
    } else if (name === "li") {
      flush();
      const list = lists[lists.length - 1];
      const standard = list?.ordered ? `${list.next++}. ` : "- ";
      const indent = "  ".repeat(Math.max(0, lists.length - 1));
      marker = { text: indent + (options.itemMarker?.(el) ?? standard) };
      el.children.forEach(walk);
      flush("li");
      marker = null;
    } else if (name === "table") {
      flush();
      for (const row of tableRows(el)) {
        const cells = row.children
          .filter((c): c is HtmlElement => isElement(c) && (c.name === "td" || c.name === "th"))
          .map((cell) => flatText(cell, options).trim())
          .filter((t) => t.length > 0);
        inline.push(cells.join(" | "));
        flush("tr");
      }
    } else if (BLOCKS.has(name)) {
      flush();
      el.children.forEach(walk);
      flush();
    } else {
      el.children.forEach(walk);
    }
  };

  nodes.forEach(walk);
  flush();
}

/** Rows of this table, not of tables nested in its cells. */
function tableRows(table: HtmlElement): HtmlElement[] {
  const rows: HtmlElement[] = [];
  for (const child of table.children) {
    if (!isElement(child)) continue;
    if (child.name === "tr") rows.push(child);
    else if (["thead", "tbody", "tfoot"].includes(child.name)) rows.push(...tableRows(child));
  }
  return rows;
}

/** All visible text under an element on one line; used for table cells, which may nest anything. */
export function flatText(el: HtmlElement, options: BlockWalkOptions = {}): string {
  const parts: string[] = [];
  const visit = (node: HtmlNode) => {
    if (isText(node)) parts.push(node.data);
    else if (isElement(node)) {
      const child = node;
      if (INVISIBLE.has(child.name) || options.skip?.(child)) return;
      const separate = BLOCKS.has(child.name) || /^(p|li|tr|td|th|table|br|ul|ol|h[1-6])$/.test(child.name);
      if (separate) parts.push(" ");
      child.children.forEach(visit);
      if (separate) parts.push(" ");
    }
  };
  el.children.forEach(visit);
  return parts.join("").replace(/\s+/g, " ");
}
