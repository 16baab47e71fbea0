import { PasswordException, PDFParse, VerbosityLevel } from "pdf-parse";
import type { ParsedDocument } from "../types.js";
import { corruptDocument, emptyDocument, ParseError } from "./errors.js";
import { TextBuilder } from "./normalize.js";
import { sensibleTitle } from "./title.js";

/**
 * Below this many letters/digits per page on average, the text layer is missing or is just page
 * numbers and scanner stamps: the document is a scan and needs OCR.
 */
const MIN_CHARS_PER_PAGE = 16;

export async function parsePdf(bytes: Uint8Array, opts: { maxPages?: number } = {}): Promise<ParsedDocument> {
  // pdf.js may take ownership of (detach) the array it is given; the caller keeps its bytes.
  const parser = new PDFParse({
    data: bytes.slice(),
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false,
  });
  try {
    const info = await parser.getInfo().catch((error: unknown) => {
      throw classify(error);
    });
    if (info.total === 0) throw emptyDocument("PDF");
    if (opts.maxPages !== undefined && info.total > opts.maxPages) {
      throw new ParseError(
        "too_large",
        `The PDF has ${info.total} pages; this knowledge base accepts at most ${opts.maxPages}. Split it into smaller files.`,
      );
    }
    // pdf-parse's default tab between distant items on one line becomes a plain space after normalizing.
    const result = await parser.getText({ pageJoiner: "" }).catch((error: unknown) => {
      throw classify(error);
    });

    const builder = new TextBuilder();
    let letters = 0;
    for (const page of result.pages) {
      builder.startPage(page.num);
      builder.block(joinHyphenated(page.text));
      letters += page.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    }
    if (letters < MIN_CHARS_PER_PAGE * result.pages.length) {
      if (letters === 0 && !(await hasImages(parser, bytes))) throw emptyDocument("PDF");
      throw new ParseError(
        "no_text",
        "This PDF has no text layer (it looks scanned or made of images). OCR is not available yet; " +
          "upload a PDF with a text layer (for example, export it again or run it through OCR first).",
      );
    }
    const title = sensibleTitle(info.info?.Title) ?? sensibleTitle(info.metadata?.get("dc:title"));
    return { format: "pdf", title, ...builder.finish() };
  } finally {
    await parser.destroy();
  }
}

/** "dyna-\nmic" -> "dynamic": words broken at line ends would otherwise be unsearchable halves. */
function joinHyphenated(text: string): string {
  return text.replace(/(\p{Ll})-\n(\p{Ll})/gu, "$1$2");
}

/** Whether the PDF draws images: a blank PDF is "empty", a scanned one needs OCR. */
async function hasImages(parser: PDFParse, bytes: Uint8Array): Promise<boolean> {
  // Image dictionaries are usually visible in the raw bytes; asking pdf.js decodes every image (slow).
  const raw = new TextDecoder("latin1").decode(bytes);
  if (/\/Subtype\s*\/Image|\/(DCTDecode|JPXDecode|CCITTFaxDecode|JBIG2Decode)\b/.test(raw)) return true;
  const result = await parser.getImage({ first: 1, imageBuffer: false, imageDataUrl: false });
  return result.pages.some((p) => p.images.length > 0);
}

function classify(error: unknown): ParseError {
  if (error instanceof ParseError) return error;
  if (error instanceof PasswordException) {
    return new ParseError(
      "encrypted",
      "This PDF is password-protected. Remove the password (open it and save an unprotected copy) and upload it again.",
      { cause: error },
    );
  }
  return corruptDocument("PDF", error);
}
