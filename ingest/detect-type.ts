import { bomEncoding, sniffUtf16 } from "./parsers/decode.js";
import { isZip, listZipEntries } from "./parsers/zip.js";
import type { DocFormat } from "./types.js";

/** For the 415 message: what a user may upload. */
export const SUPPORTED_TYPES = "PDF, DOCX, HTML, Markdown, plain text";

const SAMPLE_BYTES = 65536;
const ascii = new TextDecoder("latin1");

/**
 * The format of an upload, decided by its content first: magic bytes beat a lying extension or MIME
 * type. The name and declared type only break ties between text formats (HTML, Markdown, plain text).
 * Returns null for anything we cannot ingest (images, spreadsheets, other zips, executables...).
 */
export function detectType(bytes: Uint8Array, filename?: string, declaredMime?: string): DocFormat | null {
  // An empty upload is still a (text) document; its parser reports it as empty, which is more useful than 415.
  if (bytes.length === 0) return "text";
  const head = ascii.decode(bytes.subarray(0, 1024));
  // Acrobat accepts the header anywhere in the first KiB, and so do we.
  if (head.includes("%PDF-")) return "pdf";
  if (isZip(bytes)) return isDocx(bytes) ? "docx" : null;
  // A password-protected DOCX is not a zip: Office encrypts the package into an OLE compound file.
  // Accepted as DOCX so that processing fails it as `encrypted`, saying what to do, as for PDFs.
  if (isEncryptedOffice(bytes)) return "docx";
  if (!looksLikeText(bytes)) return null;

  const ext = extensionOf(filename);
  const mime = (declaredMime ?? "").split(";")[0]!.trim().toLowerCase();
  if (startsLikeHtml(sampleText(bytes))) return "html";
  if (["html", "htm", "xhtml"].includes(ext) || mime === "text/html" || mime === "application/xhtml+xml") {
    return "html";
  }
  if (["md", "markdown", "mdown", "mkd", "mdx"].includes(ext) || mime === "text/markdown") return "markdown";
  if (ext === "txt" || ext === "text") return "text";
  return hasMarkdownSignals(sampleText(bytes)) ? "markdown" : "text";
}

function isDocx(bytes: Uint8Array): boolean {
  const entries = listZipEntries(bytes);
  if (entries) return entries.some((e) => e.name === "word/document.xml");
  // No central directory (truncated upload): local headers still carry names in clear. Calling it DOCX
  // lets the parser report "damaged" instead of "unsupported", which is the truth.
  return ascii.decode(bytes.subarray(0, SAMPLE_BYTES)).includes("word/document.xml");
}

function extensionOf(filename: string | undefined): string {
  const match = /\.([a-z0-9]+)$/i.exec(filename ?? "");
  return match ? match[1]!.toLowerCase() : "";
}

/** Text files have no NUL bytes and almost no other C0 controls; binary formats are full of them. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const bom = bomEncoding(sample);
  if (bom?.encoding.startsWith("utf-16") || sniffUtf16(sample)) return true;
  let controls = 0;
  for (const b of sample) {
    if (b === 0) return false;
    // Allowed: \t \n \v \f \r and ESC (ISO-2022 escape sequences).
    if (b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1b) controls++;
  }
  // Legacy 8-bit and multibyte encodings are not valid UTF-8 but are control-free too; the text parser
  // works out which one it is.
  return controls <= sample.length * 0.01;
}

function sampleText(bytes: Uint8Array): string {
  const bom = bomEncoding(bytes);
  const encoding = bom?.encoding ?? sniffUtf16(bytes) ?? "utf-8";
  return new TextDecoder(encoding).decode(bytes.subarray(bom?.length ?? 0, 8192));
}

/** WHATWG-style sniffing: the document must *start* with HTML, so Markdown with inline HTML stays Markdown. */
export function startsLikeHtml(text: string): boolean {
  const start = text
    .replace(/^\s*(<\?xml[^>]*>\s*)?/, "")
    .replace(/^(\s*<!--[\s\S]*?-->)*\s*/, "")
    .slice(0, 64)
    .toLowerCase();
  return /^<(!doctype\s+html|html|head|body)[\s>]/.test(start);
}

function hasMarkdownSignals(text: string): boolean {
  const signals = [
    /^#{1,6} \S/m, // ATX heading
    /^```/m, // fenced code
    /^\S.*\n(=+|-+)\s*$/m, // setext heading
    /\[[^\]\n]+\]\([^)\s]+\)/, // inline link
    /^\s*[-*+] \S/m, // bullet list
    /\*\*[^*\n]+\*\*/, // bold
  ];
  return signals.filter((s) => s.test(text)).length >= 2;
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** "EncryptionInfo" as a compound-file directory entry name: UTF-16LE, NUL-terminated. */
const ENCRYPTION_INFO = new Uint8Array([..."EncryptionInfo\0"].flatMap((ch) => [ch.charCodeAt(0), 0]));

export function isOleCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && OLE_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * An OLE compound file (MS-CFB) with an `EncryptionInfo` stream: an Office Open XML document encrypted
 * with a password (MS-OFFCRYPTO; the package itself is in `EncryptedPackage`). Directory entries are 128
 * bytes and sectors are multiples of 128 bytes, so a real entry starts at a multiple of 128, with the
 * name's byte length (30) at +64 and the stream type (2) at +66; that is checked rather than walking the
 * sector chain, which a damaged file may not even have.
 */
export function isEncryptedOffice(bytes: Uint8Array): boolean {
  if (!isOleCompoundFile(bytes)) return false;
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    if (bytes[at] !== 0x45 || bytes[at + 64] !== ENCRYPTION_INFO.length || bytes[at + 66] !== 2) continue;
    if (ENCRYPTION_INFO.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}
