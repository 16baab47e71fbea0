// Presentations as pages: a PPTX slide is a page, in the deck's order (presentation.xml's slide list,
// not file names), with its text paragraphs and then its speaker notes, which often carry the
// explanation the slide only hints at.
import { attr, relationships, resolvePart, unxml } from "./xml.mjs";
import { unzip } from "./zip.mjs";

const NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide";

/** A DrawingML part's paragraphs: runs joined, line breaks kept, fields (slide numbers) left out. */
export function paragraphs(xml) {
  const out = [];
  for (const p of xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>|<a:p\s[^>]*>([\s\S]*?)<\/a:p>/g)) {
    const body = (p[1] ?? p[2])
      .replace(/<a:fld\b[\s\S]*?<\/a:fld>/g, "")
      .replace(/<a:br\b[^>]*\/>/g, "<a:t>\n</a:t>");
    const text = unxml([...body.matchAll(/<a:t(?:\s[^>]*)?>([\s\S]*?)<\/a:t>/g)].map((m) => m[1]).join(""));
    if (text.trim()) out.push(text.trim());
  }
  return out;
}

export function parsePptx(bytes) {
  const zip = unzip(bytes);
  const read = (name) => zip.get(name)?.().toString("utf8");
  const deck = read("ppt/presentation.xml");
  if (!deck) throw new Error("not a PowerPoint presentation (no ppt/presentation.xml)");
  const rels = relationships(read("ppt/_rels/presentation.xml.rels"));
  const slides = [];
  for (const m of deck.matchAll(/<p:sldId\b[^>]*>/g)) {
    const target = rels.get(attr(m[0], "r:id"))?.target;
    if (!target) continue;
    const path = resolvePart("ppt/presentation.xml", target);
    const xml = read(path);
    if (!xml) continue;
    const slideRels = relationships(read(path.replace(/([^/]+)$/, "_rels/$1.rels")));
    const notesRel = [...slideRels.values()].find((r) => r.type === NOTES);
    const notesXml = notesRel ? read(resolvePart(path, notesRel.target)) : undefined;
    slides.push({ text: paragraphs(xml), notes: notesXml ? paragraphs(notesXml) : [] });
  }
  const core = read("docProps/core.xml") ?? "";
  const title = unxml(/<dc:title>([\s\S]*?)<\/dc:title>/.exec(core)?.[1] ?? "").trim();
  return { slides, title };
}

export function load(input) {
  const { slides, title } = parsePptx(Buffer.from(input.bytes, "base64"));
  const pages = [];
  slides.forEach((s, i) => {
    const lines = [...s.text];
    if (s.notes.length) lines.push(`Notes: ${s.notes.join("\n")}`);
    if (lines.length) pages.push({ page: i + 1, text: lines.join("\n") });
  });
  return { pages, title: title || slides[0]?.text[0] || input.filename.replace(/\.pptx$/i, "") };
}
