import { ParseError, tooLarge } from "../parsers/errors.js";
import { MAX_TEXT_CHARS, type ParseLimits } from "../parsers/limits.js";
import { readIsolated } from "../parsers/parse-prepared.js";
import { parsePdf } from "../parsers/pdf.js";
import type { DocFormat, ParsedDocument } from "../types.js";
import type { IngestPlugins, PluginPage } from "./deps.js";
import type { LoadedJob } from "./load.js";

/** A version stored for a loader plugin, met by a pipeline composed without plugins. */
export function pluginsUnavailable(): ParseError {
  return new ParseError(
    "unsupported_type",
    "This document needs a loader plugin, and this ingestion worker runs without plugins. Upload it again once plugins are available.",
  );
}

/**
 * The loader that reads a PDF the host found no text in (a scan): an enabled loader claiming PDFs,
 * such as the OCR plugin. Without one, the host's own `no_text` error stands (it names the plugin).
 */
export async function scannedPdfLoader(
  plugins: IngestPlugins,
  job: LoadedJob,
  err: unknown,
): Promise<string> {
  if (!(err instanceof ParseError && err.code === "no_text")) throw err;
  const loader = await plugins.loaderFor(job.version.tenantId, {
    filename: job.document.filename,
    mediaType: "application/pdf",
  });
  if (!loader) throw err;
  return loader;
}

/** A loader's pages as a parsed document: pages joined by blank lines, each page's extent kept. */
export function documentFromPages(pages: PluginPage[], title: string | null): ParsedDocument {
  let text = "";
  const extents: ParsedDocument["pages"] = [];
  for (const p of [...pages].sort((a, b) => a.page - b.page)) {
    const body = p.text.trim();
    if (!body) continue;
    if (text) text += "\n\n";
    extents.push({ number: p.page, start: text.length, end: text.length + body.length });
    text += body;
  }
  return { format: "text", title, text, pages: extents, headings: [] };
}

/** The pages a text filter sees: a paged document's pages, or an unpaged one as page 1. */
export function pagesOf(doc: ParsedDocument): PluginPage[] {
  if (!doc.pages.length) return [{ page: 1, text: doc.text }];
  return doc.pages.map((p) => ({ page: p.number, text: doc.text.slice(p.start, p.end) }));
}

/**
 * The document with its pages replaced by filtered ones. Filters change lengths (an e-mail becomes
 * [EMAIL]), so page extents are rebuilt and each heading is found again from where the previous
 * one was; a heading the filter rewrote is dropped from the outline rather than pointing elsewhere.
 */
export function withPages(doc: ParsedDocument, filtered: PluginPage[]): ParsedDocument {
  const byPage = new Map(filtered.map((p) => [p.page, p.text]));
  let text = "";
  const pages: ParsedDocument["pages"] = [];
  const source = pagesOf(doc);
  source.forEach((p, i) => {
    const body = byPage.get(p.page) ?? p.text;
    // Unpaged documents are one page; paged ones keep the separator that stood between pages.
    const gap = doc.pages.length && i > 0 ? doc.text.slice(doc.pages[i - 1]!.end, doc.pages[i]!.start) : "";
    text += gap;
    pages.push({ number: p.page, start: text.length, end: text.length + body.length });
    text += body;
  });
  const headings: ParsedDocument["headings"] = [];
  let from = 0;
  for (const h of doc.headings) {
    const nl = doc.text.indexOf("\n", h.start);
    const line = doc.text.slice(h.start, nl < 0 ? undefined : nl);
    const at = text.indexOf(line, from);
    if (at < 0) continue;
    headings.push({ ...h, start: at });
    from = at + line.length;
  }
  return { ...doc, text, pages: doc.pages.length ? pages : [], headings };
}

function checkSize(doc: ParsedDocument, limits: ParseLimits): ParsedDocument {
  if (doc.pages.length > limits.maxPages) {
    throw tooLarge(
      `The document has ${doc.pages.length} pages; at most ${limits.maxPages} are accepted (the limit on pages per document)`,
      "Split it into smaller files and upload those.",
    );
  }
  if (doc.text.length > MAX_TEXT_CHARS) {
    throw tooLarge(
      `The document has ${doc.text.length.toLocaleString("en")} characters of text; at most ${MAX_TEXT_CHARS.toLocaleString("en")} are accepted (the limit on text per document)`,
      "Split it into smaller files and upload those.",
    );
  }
  return doc;
}

/**
 * Reads a version for chunking when plugins take part: through its loader plugin (or the built-in
 * parser, off the main thread as always), then through the organization's text filters. The caller
 * chunks the result on a parse thread. Plugin failures propagate with their codes.
 */
export async function readWithPlugins(
  plugins: IngestPlugins,
  job: LoadedJob,
  bytes: Uint8Array,
  opts: {
    loaderId: string | null;
    filters: boolean;
    limits: ParseLimits;
    onPage?: (parsed: number, total: number) => void;
  },
): Promise<ParsedDocument> {
  const tenantId = job.version.tenantId;
  const loadPages = async (loaderId: string) => {
    const out = await plugins.load(tenantId, loaderId, {
      bytes,
      mediaType: job.version.contentType ?? "application/octet-stream",
      filename: job.document.filename,
    });
    return checkSize(documentFromPages(out.pages, out.title ?? null), opts.limits);
  };
  let doc: ParsedDocument;
  if (opts.loaderId) doc = await loadPages(opts.loaderId);
  else if (job.version.format === "pdf") {
    const pdfOpts = { maxPages: opts.limits.maxPages, timeoutMs: opts.limits.timeoutMs, onPage: opts.onPage };
    // A scan goes to the PDF loader (OCR), and its text through the same filters below.
    doc = await parsePdf(bytes, pdfOpts).catch(async (err: unknown) =>
      loadPages(await scannedPdfLoader(plugins, job, err)),
    );
  } else {
    doc = await readIsolated(bytes, job.version.format as Exclude<DocFormat, "pdf">, {
      limits: opts.limits,
      contentType: job.version.contentType,
    });
  }
  if (!opts.filters) return doc;
  const filtered = await plugins.filter(tenantId, job.kb.id, pagesOf(doc));
  return checkSize(withPages(doc, filtered), opts.limits);
}
