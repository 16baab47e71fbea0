import chardet from "chardet";
import iconv from "iconv-lite";

export interface Decoded {
  text: string;
  /** Name of the encoding that was used, for logs and tests. */
  encoding: string;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  return null;
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-16 without a BOM still shows itself: in mostly-ASCII/Latin text every other byte is NUL.
 * Returns the byte order when one half of the sample is overwhelmingly NUL and the other is not.
 */
export function sniffUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return "utf-16le";
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return "utf-16be";
  return null;
}

/** WHATWG maps these labels to windows-1252; real-world "latin1" pages are almost always cp1252. */
function canonical(label: string): string | null {
  const name = label.trim().toLowerCase();
  if (["iso-8859-1", "latin1", "us-ascii", "ascii", "l1"].includes(name)) return "windows-1252";
  if (name === "gb2312" || name === "gbk") return "gb18030";
  return iconv.encodingExists(name) ? name : null;
}

/**
 * Decodes bytes of unknown encoding: BOM first, then a declared charset (HTML meta), then strict UTF-8,
 * then BOM-less UTF-16, then statistical detection. UTF-8 goes before detection because chardet
 * guesses single-byte encodings for short UTF-8 texts surprisingly often.
 */
export function decodeBytes(bytes: Uint8Array, declared?: string | null): Decoded {
  const bom = bomEncoding(bytes);
  if (bom)
    return {
      text: iconv.decode(Buffer.from(bytes.subarray(bom.length)), bom.encoding),
      encoding: bom.encoding,
    };

  const declaredName = declared ? canonical(declared) : null;
  const utf8 = isValidUtf8(bytes);
  // A page that claims UTF-8 but is not valid UTF-8 lies; anything else declared is trusted.
  if (declaredName && (declaredName !== "utf-8" && declaredName !== "utf8" ? true : utf8)) {
    return { text: iconv.decode(Buffer.from(bytes), declaredName), encoding: declaredName };
  }
  if (utf8) return { text: new TextDecoder("utf-8").decode(bytes), encoding: "utf-8" };

  const utf16 = sniffUtf16(bytes);
  if (utf16) return { text: iconv.decode(Buffer.from(bytes), utf16), encoding: utf16 };

  const sample = bytes.length > 65536 ? bytes.subarray(0, 65536) : bytes;
  for (const match of chardet.analyse(sample)) {
    const name = canonical(match.name);
    if (name && !name.startsWith("utf-")) {
      return { text: iconv.decode(Buffer.from(bytes), name), encoding: name };
    }
  }
  return { text: iconv.decode(Buffer.from(bytes), "windows-1252"), encoding: "windows-1252" };
}

/** The charset parameter of a Content-Type (`text/html; charset=windows-1251`), if any. */
export function contentTypeCharset(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType ?? "");
  return match ? (match[1] ?? match[2] ?? "").trim() || null : null;
}

/**
 * WHATWG's spec looks for a <meta> charset in the first 1024 bytes; pages in the wild put several KB of
 * script or style before it, so, as Tika does, the prescan goes on past that: until a declaration, the
 * <body>, or this many bytes.
 */
const PRESCAN_BYTES = 512 * 1024;
const latin1 = new TextDecoder("latin1");

/**
 * The HTML "prescan a byte stream to determine its encoding" algorithm over a latin1 view of the bytes:
 * comments and other markup are skipped as wholes, so a `charset=` inside a comment or an attribute of
 * another element does not count; `<meta charset>` and `<meta http-equiv=content-type content=...>` do.
 * Script text is not markup: a declaration after a long <script> is found, as browsers find it.
 */
export function prescanHtmlCharset(bytes: Uint8Array): string | null {
  const s = latin1.decode(bytes.subarray(0, PRESCAN_BYTES));
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf("<", i);
    if (lt < 0) return null;
    if (s.startsWith("<!--", lt)) {
      const end = s.indexOf("-->", lt + 4);
      if (end < 0) return null;
      i = end + 3;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][^\s/>]*)/.exec(s.slice(lt, lt + 64));
    if (!tag) {
      // <!doctype>, <?xml ?>, stray "<": skip to the next ">".
      const end = s.indexOf(">", lt + 1);
      if (end < 0) return null;
      i = end + 1;
      continue;
    }
    const name = tag[2]!.toLowerCase();
    if (name === "body" && !tag[1]) return null;
    const { attrs, end } = readAttributes(s, lt + tag[0].length);
    i = end;
    if (name !== "meta" || tag[1]) continue;
    const charset = attrs.get("charset");
    if (charset) return charset;
    const content = attrs.get("content");
    if (content && attrs.get("http-equiv")?.toLowerCase() === "content-type") {
      const found = /charset\s*=\s*["']?([^"'\s;]+)/i.exec(content)?.[1];
      if (found) return found;
    }
  }
  return null;
}

/** Attributes of a tag starting at `from`, quoted or not, up to the closing ">". */
function readAttributes(s: string, from: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  const re = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?|\s*\/|\s*(>)/y;
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(s);
    if (!m) return { attrs, end: s.indexOf(">", from) < 0 ? s.length : s.indexOf(">", from) + 1 };
    if (m[5]) return { attrs, end: re.lastIndex };
    if (m[1] && !attrs.has(m[1].toLowerCase())) {
      attrs.set(m[1].toLowerCase(), (m[2] ?? m[3] ?? m[4] ?? "").trim());
    }
  }
}

/**
 * The charset an HTML page declares, in WHATWG's order after the BOM (which decodeBytes checks first):
 * the transport's Content-Type (as given at upload), then a <meta> in the markup. A meta naming UTF-16
 * means UTF-8, as the spec says (a page that could be read as ASCII to find the meta is not UTF-16).
 */
export function declaredHtmlCharset(bytes: Uint8Array, contentType?: string | null): string | null {
  const transport = contentTypeCharset(contentType);
  // Some clients label every upload UTF-8; bytes that are not UTF-8 let the page's own meta speak.
  const lies = transport && /^utf-?8$/i.test(transport) && !isValidUtf8(bytes);
  if (transport && !lies) return transport;
  const meta = prescanHtmlCharset(bytes);
  if (meta && /^utf-?16/i.test(meta.trim())) return "utf-8";
  if (meta?.trim().toLowerCase() === "x-user-defined") return "windows-1252";
  return meta;
}
