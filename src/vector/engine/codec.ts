import { crc32 } from "node:zlib";
import type { SparseVec, StoredPoint } from "./partition.js";
import type { PointId } from "./point-id.js";

/**
 * The engine's durable operations. The write-ahead log and the snapshot use the same framing, so loading
 * a snapshot is replaying a compacted log. Vectors travel as raw little-endian Float32/Uint32 after a
 * JSON header: replaying 100k points must not mean parsing 40M floats from text.
 */
export type Op =
  | { op: "mark"; lsn: number }
  | { op: "create"; lsn: number; c: string; body: Record<string, unknown> }
  | { op: "drop"; lsn: number; c: string }
  | { op: "index"; lsn: number; c: string; field: string; schema: unknown }
  | { op: "upsert"; lsn: number; c: string; points: StoredPoint[] }
  | { op: "delete"; lsn: number; c: string; ids: PointId[] };

interface PointHeader {
  id: PointId;
  v: number;
  p: Record<string, unknown>;
  d: [string, number][];
  s: [string, number][];
}

const FRAME_HEADER = 8;

/** Frames an op as [u32 bodyLength][u32 crc32(body)][body]. */
export function encodeOp(op: Op): Buffer {
  let header: Record<string, unknown> = op;
  const chunks: Buffer[] = [];
  if (op.op === "upsert") {
    const pts: PointHeader[] = [];
    for (const p of op.points) {
      const d: [string, number][] = [];
      for (const [name, vec] of p.dense) {
        d.push([name, vec.length]);
        chunks.push(Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength));
      }
      const s: [string, number][] = [];
      for (const [name, vec] of p.sparse) {
        s.push([name, vec.indices.length]);
        chunks.push(Buffer.from(vec.indices.buffer, vec.indices.byteOffset, vec.indices.byteLength));
        chunks.push(Buffer.from(vec.values.buffer, vec.values.byteOffset, vec.values.byteLength));
      }
      pts.push({ id: p.id, v: p.version, p: p.payload, d, s });
    }
    header = { op: op.op, lsn: op.lsn, c: op.c, pts };
  }
  const json = Buffer.from(JSON.stringify(header));
  const pad = (4 - ((4 + json.length) % 4)) % 4;
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(json.length, 0);
  const body = Buffer.concat([prefix, json, Buffer.alloc(pad), ...chunks]);
  const frame = Buffer.alloc(FRAME_HEADER);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([frame, body]);
}

function decodeBody(body: Buffer): Op {
  const jsonLen = body.readUInt32LE(0);
  const header = JSON.parse(body.toString("utf8", 4, 4 + jsonLen));
  if (header.op !== "upsert") return header as Op;
  const start = 4 + jsonLen + ((4 - ((4 + jsonLen) % 4)) % 4);
  // Copy into a fresh ArrayBuffer so typed-array views are 4-byte aligned.
  const bin = new Uint8Array(body.subarray(start)).buffer;
  let off = 0;
  const points: StoredPoint[] = (header.pts as PointHeader[]).map((h) => {
    const dense = new Map<string, Float32Array>();
    for (const [name, len] of h.d) {
      dense.set(name, new Float32Array(bin, off, len));
      off += len * 4;
    }
    const sparse = new Map<string, SparseVec>();
    for (const [name, len] of h.s) {
      const indices = new Uint32Array(bin, off, len);
      off += len * 4;
      const values = new Float32Array(bin, off, len);
      off += len * 4;
      sparse.set(name, { indices, values });
    }
    return { id: h.id, version: h.v, payload: h.p, dense, sparse };
  });
  return { op: "upsert", lsn: header.lsn, c: header.c, points };
}

/**
 * Yields every intact frame of a log or snapshot file, stopping at the first torn or corrupt one (a crash
 * mid-append leaves at most the last frame incomplete). A generator, so replayed ops can be collected
 * as soon as they are applied.
 */
export function* decodeFrames(buf: Buffer): Generator<Op> {
  let pos = 0;
  while (pos + FRAME_HEADER <= buf.length) {
    const len = buf.readUInt32LE(pos);
    const crc = buf.readUInt32LE(pos + 4);
    if (len < 4 || pos + FRAME_HEADER + len > buf.length) return;
    const body = buf.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + len);
    if (crc32(body) !== crc) return;
    yield decodeBody(body);
    pos += FRAME_HEADER + len;
  }
}
