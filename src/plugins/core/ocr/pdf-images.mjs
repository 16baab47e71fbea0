// The images of each page of a scanned PDF, as files the OCR engine reads: JPEG streams as they are
// (DCTDecode), raw Flate pixels wrapped in a PNM header (gray, RGB, CMYK and indexed colour, 1 or 8
// bits), so no canvas or native decoder is needed. JPEG 2000, CCITT and JBIG2 scans are not read.
import { decodeStream, filtersOf, Name, readObjects, resolve } from "./pdf-objects.mjs";

function pagesOf(objects) {
  let root = null;
  for (const { value } of objects.values()) {
    if (value instanceof Map && value.get("Type")?.name === "Catalog") root = value;
  }
  if (!root) throw new Error("the PDF has no document catalog");
  const pages = [];
  const walk = (node, inherited, depth) => {
    if (!(node instanceof Map) || depth > 50) return;
    const resources = resolve(objects, node.get("Resources")) ?? inherited;
    const kids = resolve(objects, node.get("Kids"));
    if (Array.isArray(kids)) for (const k of kids) walk(resolve(objects, k), resources, depth + 1);
    else pages.push(resources);
  };
  walk(resolve(objects, root.get("Pages")), null, 0);
  return pages;
}

/** Components per pixel and a converter to gray/RGB bytes for a colour space. */
function colorSpace(cs, objects) {
  cs = resolve(objects, cs);
  const name = cs instanceof Name ? cs.name : Array.isArray(cs) ? resolve(objects, cs[0])?.name : "DeviceRGB";
  if (name === "DeviceGray" || name === "CalGray" || name === "G") return { n: 1, out: 1 };
  if (name === "DeviceRGB" || name === "CalRGB" || name === "RGB") return { n: 3, out: 3 };
  if (name === "DeviceCMYK" || name === "CMYK") return { n: 4, out: 3 };
  if (name === "ICCBased") {
    const n = resolve(objects, cs[1])?.get("N") ?? 3;
    return { n, out: n === 1 ? 1 : 3 };
  }
  if (name === "Indexed" || name === "I") {
    const base = colorSpace(cs[1], objects);
    let lookup = resolve(objects, cs[3]);
    if (!(lookup instanceof Buffer)) {
      const obj = objects.get(cs[3].num);
      lookup = obj?.stream ? decodeStream(obj.value, obj.stream, objects) : Buffer.alloc(0);
    }
    return { n: 1, out: base.out, palette: { base, lookup } };
  }
  throw new Error(`the PDF's images use the ${name} colour space, which this plugin does not read`);
}

/** Raw samples to a PNM file (P4 for 1-bit masks and gray, P5 gray, P6 RGB). */
function pnm(dict, data, objects) {
  const w = dict.get("Width");
  const h = dict.get("Height");
  const bpc = dict.get("ImageMask") ? 1 : (dict.get("BitsPerComponent") ?? 8);
  const cs = dict.get("ImageMask") ? { n: 1, out: 1 } : colorSpace(dict.get("ColorSpace"), objects);
  if (bpc === 1 && cs.n === 1 && !cs.palette) {
    // PDF gray 1-bit: 1 is white (masks: 1 is painted, i.e. black); PBM: 1 is black.
    const invert = !dict.get("ImageMask");
    const bits = Buffer.from(data.subarray(0, Math.ceil(w / 8) * h));
    if (invert) for (let i = 0; i < bits.length; i++) bits[i] = ~bits[i] & 0xff;
    return Buffer.concat([Buffer.from(`P4\n${w} ${h}\n`), bits]);
  }
  if (bpc !== 8)
    throw new Error(`the PDF's images use ${bpc} bits per component, which this plugin does not read`);
  const out = Buffer.alloc(w * h * cs.out);
  for (let p = 0; p < w * h; p++) {
    if (cs.palette) {
      const { base, lookup } = cs.palette;
      const at = data[p] * base.n;
      for (let c = 0; c < cs.out; c++) out[p * cs.out + c] = lookup[at + c] ?? 0;
    } else if (cs.n === 4) {
      const [c, m, y, k] = data.subarray(p * 4, p * 4 + 4);
      out[p * 3] = 255 - Math.min(255, c + k);
      out[p * 3 + 1] = 255 - Math.min(255, m + k);
      out[p * 3 + 2] = 255 - Math.min(255, y + k);
    } else for (let c = 0; c < cs.out; c++) out[p * cs.out + c] = data[p * cs.n + c] ?? 0;
  }
  return Buffer.concat([Buffer.from(`${cs.out === 1 ? "P5" : "P6"}\n${w} ${h}\n255\n`), out]);
}

/** Image XObjects of a resource dictionary, and of the form XObjects it uses, in dictionary order. */
function imagesOf(resources, objects, seen = new Set()) {
  const xobjects = resolve(objects, resources?.get?.("XObject"));
  if (!(xobjects instanceof Map)) return [];
  const out = [];
  for (const ref of xobjects.values()) {
    if (!ref?.num || seen.has(ref.num)) continue;
    seen.add(ref.num);
    const obj = objects.get(ref.num);
    if (!obj?.stream || !(obj.value instanceof Map)) continue;
    const sub = obj.value.get("Subtype")?.name;
    if (sub === "Form") out.push(...imagesOf(resolve(objects, obj.value.get("Resources")), objects, seen));
    if (sub !== "Image") continue;
    // Tiny images are rules, bullets and logos, not scanned text.
    if (obj.value.get("Width") < 32 || obj.value.get("Height") < 16) continue;
    const data = decodeStream(obj.value, obj.stream, objects, { stopAtImageCodec: true });
    const codec = filtersOf(obj.value, objects).at(-1);
    if (codec === "DCTDecode" || codec === "DCT") out.push(data);
    else if (!codec || codec === "FlateDecode" || codec === "Fl") out.push(pnm(obj.value, data, objects));
    else throw new Error(`the PDF's scans are ${codec} images, which this plugin does not read`);
  }
  return out;
}

/** [{ page, images: [Buffer] }] for every page, in page order. */
export function pdfPageImages(bytes) {
  const objects = readObjects(Buffer.from(bytes));
  return pagesOf(objects).map((resources, i) => ({ page: i + 1, images: imagesOf(resources, objects) }));
}
