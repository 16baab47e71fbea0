// A small PDF object reader: enough of the syntax (ISO 32000-1, 7.3) to walk the page tree of a
// scanned PDF and pull out its image streams, with no dependency. Objects are found by scanning for
// "n g obj" (later definitions win, as incremental updates intend), plus those packed in object
// streams; cross-reference tables are not needed for that.
import { inflateSync } from "node:zlib";

const WS = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set([..."()<>[]{}/%"].map((c) => c.charCodeAt(0)));

export class Ref {
  constructor(num) {
    this.num = num;
  }
}
export class Name {
  constructor(name) {
    this.name = name;
  }
}

/** Parses one object at `at` of a latin1 string; returns [value, next offset]. */
function parseValue(s, at) {
  const skip = () => {
    for (;;) {
      while (at < s.length && WS.has(s.charCodeAt(at))) at++;
      if (s[at] !== "%") return;
      while (at < s.length && s[at] !== "\n" && s[at] !== "\r") at++;
    }
  };
  const value = () => {
    skip();
    const c = s[at];
    if (c === "<" && s[at + 1] === "<") {
      at += 2;
      const dict = new Map();
      for (;;) {
        skip();
        if (s[at] === ">" && s[at + 1] === ">") {
          at += 2;
          return dict;
        }
        const key = value();
        if (!(key instanceof Name)) throw new Error("damaged PDF dictionary");
        dict.set(key.name, value());
      }
    }
    if (c === "[") {
      at++;
      const arr = [];
      for (;;) {
        skip();
        if (s[at] === "]") {
          at++;
          return arr;
        }
        arr.push(value());
      }
    }
    if (c === "/") {
      let end = at + 1;
      while (end < s.length && !WS.has(s.charCodeAt(end)) && !DELIM.has(s.charCodeAt(end))) end++;
      const name = s
        .slice(at + 1, end)
        .replace(/#([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      at = end;
      return new Name(name);
    }
    if (c === "<") {
      const end = s.indexOf(">", at);
      const hex = s.slice(at + 1, end).replace(/\s+/g, "");
      at = end + 1;
      return Buffer.from(hex.length % 2 ? `${hex}0` : hex, "hex");
    }
    if (c === "(") {
      let depth = 0;
      let out = "";
      for (at++; at < s.length; at++) {
        const ch = s[at];
        if (ch === "\\") {
          out += s[++at];
          continue;
        }
        if (ch === "(") depth++;
        if (ch === ")" && depth-- === 0) break;
        out += ch;
      }
      at++;
      return Buffer.from(out, "latin1");
    }
    const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:\s+(\d+)\s+R(?![A-Za-z]))?|^(true|false|null)/.exec(
      s.slice(at, at + 40),
    );
    if (!m) throw new Error(`damaged PDF object near byte ${at}`);
    at += m[0].length;
    if (m[3]) return m[3] === "null" ? null : m[3] === "true";
    return m[2] !== undefined ? new Ref(Number(m[1])) : Number(m[1]);
  };
  const v = value();
  return [v, at];
}

/** Every object of the file: number -> { value, stream? } (stream bytes still encoded). */
export function readObjects(buf) {
  const s = buf.toString("latin1");
  const objects = new Map();
  for (const m of s.matchAll(/(?:^|[\s>])(\d+)\s+(\d+)\s+obj\b/g)) {
    const start = m.index + m[0].length;
    try {
      const [value, end] = parseValue(s, start);
      const after = /^\s*stream(?:\r\n|\n|\r)/.exec(s.slice(end, end + 20));
      let stream;
      if (after && value instanceof Map) {
        const from = end + after[0].length;
        const length = value.get("Length");
        const to =
          typeof length === "number" && s.startsWith("endstream", skipWs(s, from + length))
            ? from + length
            : s.indexOf("endstream", from);
        stream = buf.subarray(from, to);
      }
      objects.set(Number(m[1]), { value, stream });
    } catch {
      // A damaged object is left out; the page that needs it reports no image.
    }
  }
  // Objects packed into object streams (PDF 1.5+): "num offset" pairs, then the objects.
  for (const obj of [...objects.values()]) {
    if (!(obj.value instanceof Map) || obj.value.get("Type")?.name !== "ObjStm" || !obj.stream) continue;
    try {
      const data = decodeStream(obj.value, obj.stream, objects).toString("latin1");
      const first = obj.value.get("First");
      const nums = data.slice(0, first).trim().split(/\s+/).map(Number);
      for (let i = 0; i + 1 < nums.length; i += 2) {
        if (!objects.has(nums[i])) objects.set(nums[i], { value: parseValue(data, first + nums[i + 1])[0] });
      }
    } catch {
      // As above.
    }
  }
  return objects;
}

const skipWs = (s, at) => {
  while (at < s.length && WS.has(s.charCodeAt(at))) at++;
  return at;
};

export const resolve = (objects, v) => (v instanceof Ref ? (objects.get(v.num)?.value ?? null) : v);
export const filtersOf = (dict, objects) => {
  const f = resolve(objects, dict.get("Filter"));
  return (Array.isArray(f) ? f : f ? [f] : []).map((n) => resolve(objects, n)?.name);
};

/** Undoes PNG row predictors (DecodeParms /Predictor 10-15), as Flate image data often uses. */
function unpredict(data, parms) {
  const predictor = parms?.get("Predictor") ?? 1;
  if (predictor < 10) return data;
  const colors = parms.get("Colors") ?? 1;
  const bpc = parms.get("BitsPerComponent") ?? 8;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil(((parms.get("Columns") ?? 1) * colors * bpc) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const src = r * (rowLen + 1) + 1;
    const dst = r * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? out[dst + i - bpp] : 0;
      const up = r > 0 ? out[dst - rowLen + i] : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLen + i - bpp] : 0;
      let add = 0;
      if (type === 1) add = left;
      else if (type === 2) add = up;
      else if (type === 3) add = (left + up) >> 1;
      else if (type === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[dst + i] = (data[src + i] + add) & 0xff;
    }
  }
  return out;
}

/**
 * A stream's bytes with its Flate filters undone; image codecs (DCT, JPX, CCITT, JBIG2) are left
 * for the caller, which hands JPEG data to the OCR engine as it is.
 */
export function decodeStream(dict, bytes, objects, { stopAtImageCodec = false } = {}) {
  let data = Buffer.from(bytes);
  const filters = filtersOf(dict, objects);
  const parms = resolve(objects, dict.get("DecodeParms"));
  filters.forEach((f, i) => {
    if (f === "FlateDecode" || f === "Fl") {
      data = inflateSync(data, { finishFlush: 2 });
      data = unpredict(data, resolve(objects, Array.isArray(parms) ? parms[i] : parms));
    } else if (
      !stopAtImageCodec ||
      !["DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "JBIG2Decode"].includes(f)
    ) {
      throw new Error(`the PDF uses the ${f} filter, which this plugin does not read`);
    }
  });
  return data;
}
