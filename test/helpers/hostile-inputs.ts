import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

/**
 * Hostile documents made at test time (none is stored in the repository): zip bombs dressed as DOCX,
 * deeply nested HTML, PDFs with absurd page counts or pages, and mutated copies of real fixtures.
 */

interface ZipPart {
  name: string;
  /** Already deflated (method 8) bytes, with the uncompressed size and CRC they came from. */
  deflated: Uint8Array;
  size: number;
  crc: number;
  /** Unix file mode stored in the central directory (e.g. 0o120777 for a symbolic link). */
  unixMode?: number;
}

export function part(name: string, text: string): ZipPart {
  const raw = Buffer.from(text, "utf8");
  return { name, deflated: deflateRawSync(raw), size: raw.length, crc: crc32(raw) };
}

/** A zip of deflated entries: local headers, data, central directory, end record (no ZIP64). */
export function zip(parts: ZipPart[]): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(p.crc >>> 0, 16);
    dir.writeUInt32LE(p.deflated.length, 20);
    dir.writeUInt32LE(p.size >>> 0, 24);
    dir.writeUInt16LE(name.length, 28);
    if (p.unixMode !== undefined) {
      dir.writeUInt16LE(0x0314, 4); // made by Unix, so the high attribute bits are a file mode
      dir.writeUInt32LE((p.unixMode << 16) >>> 0, 38);
    }
    dir.writeUInt32LE(offset, 42);
    chunks.push(local, name, Buffer.from(p.deflated));
    central.push(dir, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, dirBytes, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const DOC_OPEN =
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const DOC_CLOSE = "</w:body></w:document>";

/** A small, valid DOCX with the given body XML. */
export function docx(bodyXml: string): Uint8Array {
  return zip([
    part("[Content_Types].xml", CONTENT_TYPES),
    part("_rels/.rels", RELS),
    part("word/document.xml", DOC_OPEN + bodyXml + DOC_CLOSE),
  ]);
}

/**
 * A DOCX whose word/document.xml inflates to `targetBytes` of `unit` repeated (paragraphs, or one
 * text run), deflated as a stream so the test never holds the expanded text.
 */
export async function docxBomb(targetBytes: number, shape: "paragraphs" | "single-run"): Promise<Uint8Array> {
  const unit =
    shape === "paragraphs"
      ? Buffer.from(
          "<w:p><w:r><w:t>All work and no play makes a dull document.</w:t></w:r></w:p>".repeat(800),
        )
      : Buffer.from("a".repeat(64 * 1024));
  const head = Buffer.from(DOC_OPEN + (shape === "single-run" ? "<w:p><w:r><w:t>" : ""));
  const tail = Buffer.from((shape === "single-run" ? "</w:t></w:r></w:p>" : "") + DOC_CLOSE);
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (d: Buffer) => out.push(d));
  const done = new Promise((resolve) => deflate.on("end", resolve));
  let crc = crc32(head);
  let size = head.length;
  deflate.write(head);
  while (size < targetBytes) {
    crc = crc32(unit, crc);
    size += unit.length;
    if (!deflate.write(unit)) await new Promise((r) => deflate.once("drain", r));
  }
  crc = crc32(tail, crc);
  size += tail.length;
  deflate.end(tail);
  await done;
  return zip([
    part("[Content_Types].xml", CONTENT_TYPES),
    part("_rels/.rels", RELS),
    { name: "word/document.xml", deflated: Buffer.concat(out), size, crc },
  ]);
}

/** `depth` nested <div>s around one sentence. */
export function nestedHtml(depth: number): Uint8Array {
  return Buffer.from(
    `<!doctype html><html><body>${"<div>".repeat(depth)}Deep text.${"</div>".repeat(depth)}</body></html>`,
  );
}

/**
 * A PDF with `pages` pages, each either empty or showing `linesPerPage` lines of `line` (1-point
 * Helvetica, so a page holds hundreds of long lines). Written by hand: objects 1 (catalog), 2 (page
 * tree), 3 (font), 4 (the one content stream all pages share), then the pages.
 */
export function pdf(pages: number, line = "", linesPerPage = 1): Uint8Array {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${5 + i} 0 R`).join(" ");
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const content = line ? `BT /F1 1 Tf 1 TL 1 0 0 1 2 785 Tm ${`(${line}) '\n`.repeat(linesPerPage)}ET` : "";
  objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  for (let i = 0; i < pages; i++) {
    objects.push(
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
    );
  }
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

/** A deterministic PRNG (mulberry32), so a failing mutation can be reproduced from its index. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A damaged copy: a few bytes flipped, a run overwritten, or the file cut short. */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = new Uint8Array(bytes);
  const kind = Math.floor(random() * 3);
  if (kind === 0) {
    const flips = 1 + Math.floor(random() * 16);
    for (let i = 0; i < flips; i++) out[Math.floor(random() * out.length)]! ^= 1 << Math.floor(random() * 8);
    return out;
  }
  if (kind === 1) {
    const at = Math.floor(random() * out.length);
    const len = Math.min(out.length - at, 1 + Math.floor(random() * 512));
    for (let i = 0; i < len; i++) out[at + i] = Math.floor(random() * 256);
    return out;
  }
  return out.subarray(0, Math.max(1, Math.floor(random() * out.length)));
}
