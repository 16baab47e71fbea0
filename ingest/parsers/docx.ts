import { DomUtils } from "htmlparser2";
import mammoth from "mammoth";
import { isEncryptedOffice } from "../detect-type.js";
import type { ParsedDocument } from "../types.js";
import { parseCappedDocument } from "./dom.js";
import { corruptDocument, emptyDocument, ParseError, tooComplex, tooLarge } from "./errors.js";
import { type HtmlElement, isElement, walkHtmlBlocks } from "./html-blocks.js";
import { hasText, TextBuilder } from "./normalize.js";
import { sensibleTitle } from "./title.js";
import { listZipEntries, readZipCapped, readZipEntry, ZipLimitError } from "./zip.js";

// mammoth knows Heading 1-6; Word's own Title style is the document's top heading in all but name.
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];
// Images cannot be searched; dropping them keeps mammoth from base64-encoding every picture.
const NO_IMAGES = mammoth.images.imgElement(async () => ({ src: "" }));

/**
 * DOCX via mammoth's semantic HTML (headings, lists, tables, footnotes, text boxes), then the shared
 * HTML block walker, so DOCX and web pages produce the same text shapes.
 */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  if (isEncryptedOffice(bytes)) {
    throw new ParseError(
      "encrypted",
      "This Word document is password-protected. Remove the password (open it and save an unprotected copy) and upload it again.",
    );
  }
  checkArchive(bytes);
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const result = await mammoth.convertToHtml(
      { buffer },
      { styleMap: STYLE_MAP, convertImage: NO_IMAGES, externalFileAccess: false },
    );
    html = result.value;
  } catch (error) {
    if (isStackOverflow(error)) {
      throw tooComplex(
        "The Word document nests its content too deeply to read (the limit on nesting depth)",
        "Open it in Word, simplify nested tables or text boxes, save it and upload it again.",
      );
    }
    throw corruptDocument("Word document", error);
  }

  const dom = parseCappedDocument(html, "Word document");
  const builder = new TextBuilder();
  walkHtmlBlocks(dom.children, builder, { skip: isFootnoteBacklink, itemMarker: footnoteMarker });
  const result = builder.finish();
  if (!hasText(result.text)) throw emptyDocument("Word document");

  // A heading that opens the document is its title; otherwise the title set in the document's
  // properties (template placeholders are filtered out), and only then whatever heading comes first.
  const first = result.headings[0];
  const opening = first?.start === 0 ? sensibleTitle(first.text) : null;
  const title = opening ?? coreTitle(bytes) ?? sensibleTitle(first?.text);
  return { format: "docx", title, ...result };
}

/**
 * Inflates every XML part once under the archive caps (total uncompressed size, compression ratio)
 * before mammoth, which would inflate a zip bomb whole, gets the bytes. Media are never read.
 */
function checkArchive(bytes: Uint8Array): void {
  try {
    readZipCapped(bytes, (e) => /\.(xml|rels)$/i.test(e.name), { keep: false });
  } catch (error) {
    if (!(error instanceof ZipLimitError)) throw error;
    throw tooLarge(error.message, "Split the document into smaller files and upload those.");
  }
}

export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** mammoth ends each footnote with a "↑" link back to its reference: navigation, not text. */
function isFootnoteBacklink(el: HtmlElement): boolean {
  return el.name === "a" && /^#(footnote|endnote)-ref-/.test(el.attribs.href ?? "");
}

/** Footnotes read "[n] text", matching the "[n]" mammoth puts at the reference. */
function footnoteMarker(el: HtmlElement): string | undefined {
  if (!/^(footnote|endnote)-/.test(el.attribs.id ?? "")) return undefined;
  const siblings = (el.parent?.children ?? []).filter((c) => isElement(c) && c.name === "li");
  return `[${siblings.indexOf(el) + 1}] `;
}

/** dc:title from docProps/core.xml, the title set in Word's document properties. */
function coreTitle(bytes: Uint8Array): string | null {
  const entry = listZipEntries(bytes)?.find((e) => e.name === "docProps/core.xml");
  const xml = entry && readZipEntry(bytes, entry);
  if (!xml) return null;
  const match = /<dc:title>([^<]*)<\/dc:title>/.exec(new TextDecoder().decode(xml));
  return sensibleTitle(match ? DomUtils.textContent(parseCappedDocument(match[1]!, "Word document")) : null);
}
