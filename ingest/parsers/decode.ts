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
