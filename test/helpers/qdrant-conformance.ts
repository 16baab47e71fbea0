/**
 * Shared pieces of the vector conformance suites: Qdrant's official OpenAPI document as a validator,
 * a recording proxy that puts every exchange between client and server on a log, and point fixtures.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { ChunkPayload, ChunkPoint } from "../../src/vector/types.js";

export const DIM = 8;
export const SPEC_PATH = join(import.meta.dirname, "../../fixtures/qdrant/qdrant-openapi-v1.19.json");

// ---- OpenAPI validation --------------------------------------------------------------------------

export type Json = Record<string, unknown>;

/** OpenAPI 3.0 -> JSON Schema: `nullable` becomes a null type, refs point into the registered spec. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string") out.$ref = v.replace(/^#/, "qdrant.json#");
    else if (k !== "nullable" && k !== "example" && k !== "deprecated") out[k] = toJsonSchema(v);
  }
  if ((node as Json).nullable === true) {
    if (out.type) return { anyOf: [out, { type: "null" }] };
    return Object.keys(out).length === 0 ? { type: "null" } : { anyOf: [out, { type: "null" }] };
  }
  return out;
}

export class SpecValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly ops: { method: string; re: RegExp; op: Json }[] = [];
  private readonly cache = new Map<unknown, ValidateFunction>();

  constructor(spec: Json) {
    addFormats.default(this.ajv);
    for (const f of ["uint", "uint8", "uint16", "uint32", "uint64", "int64", "int32", "float", "double"]) {
      this.ajv.addFormat(f, true);
    }
    this.ajv.addSchema({ $id: "qdrant.json", components: toJsonSchema(spec.components) });
    for (const [path, methods] of Object.entries(spec.paths as Record<string, Record<string, Json>>)) {
      const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      for (const [method, op] of Object.entries(methods))
        this.ops.push({ method: method.toUpperCase(), re, op });
    }
  }

  private validator(schema: unknown): ValidateFunction {
    let fn = this.cache.get(schema);
    if (!fn) {
      fn = this.ajv.compile(toJsonSchema(schema) as Json);
      this.cache.set(schema, fn);
    }
    return fn;
  }

  /** Problems with one exchange; empty when request and response both conform. */
  check(ex: Exchange): string[] {
    const path = new URL(ex.url, "http://x").pathname;
    // The most specific template wins (/points/query before /points/{id}).
    const candidates = this.ops.filter((o) => o.method === ex.method && o.re.test(path));
    const found = candidates.find((o) => !/\[\^\/\]\+$/.test(o.re.source)) ?? candidates[0];
    if (!found) return [`${ex.method} ${path}: not an operation of the Qdrant API`];
    const problems: string[] = [];
    const reqSchema = (found.op.requestBody as Json | undefined)?.content as Json | undefined;
    const reqJson = (reqSchema?.["application/json"] as Json | undefined)?.schema;
    if (reqJson && ex.requestBody !== undefined && !ex.malformed) {
      const v = this.validator(reqJson);
      if (!v(ex.requestBody)) problems.push(`${ex.method} ${path} request: ${this.ajv.errorsText(v.errors)}`);
    }
    const responses = found.op.responses as Record<string, Json>;
    const key = String(ex.status) in responses ? String(ex.status) : `${String(ex.status)[0]}XX`;
    const resp = responses[key] ?? responses.default;
    const resSchema = ((resp?.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema;
    if (!resp) problems.push(`${ex.method} ${path}: status ${ex.status} not declared`);
    else if (resSchema) {
      const v = this.validator(resSchema);
      if (!v(ex.responseBody))
        problems.push(`${ex.method} ${path} ${ex.status} response: ${this.ajv.errorsText(v.errors)}`);
    }
    return problems;
  }
}

// ---- Recording proxy -----------------------------------------------------------------------------

export interface Exchange {
  /** Set for requests that are malformed on purpose: only the response is checked. */
  malformed: boolean;
  method: string;
  url: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

export function parseJson(buf: Buffer): unknown {
  if (buf.length === 0) return undefined;
  try {
    return JSON.parse(buf.toString("utf8"));
  } catch {
    return buf.toString("utf8");
  }
}

export async function startProxy(
  target: () => string,
  log: Exchange[],
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const upstream = new URL(req.url ?? "/", target());
      const out = request(
        upstream,
        { method: req.method, headers: { ...req.headers, host: upstream.host } },
        (up) => {
          const resChunks: Buffer[] = [];
          up.on("data", (c) => resChunks.push(c));
          up.on("end", () => {
            const resBody = Buffer.concat(resChunks);
            log.push({
              malformed: req.headers["x-malformed-on-purpose"] === "1",
              method: req.method ?? "GET",
              url: req.url ?? "/",
              requestBody: parseJson(body),
              status: up.statusCode ?? 0,
              responseBody: parseJson(resBody),
            });
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(resBody);
          });
        },
      );
      out.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// ---- Fixtures ------------------------------------------------------------------------------------

export function payload(
  kb: string,
  doc: string,
  version: string,
  chunk: number,
  meta: ChunkPayload["meta"],
): ChunkPayload {
  return {
    kb_id: kb,
    doc_id: doc,
    doc_version: version,
    chunk,
    page_start: null,
    page_end: null,
    heading_path: ["Intro"],
    text: `${doc} chunk ${chunk}`,
    char_start: chunk * 100,
    char_end: chunk * 100 + 99,
    title: doc,
    meta,
  };
}

/** A unit vector along axis `axis` with a small tilt, so nearest-neighbour order is known. */
export function dense(axis: number, tilt = 0): number[] {
  const v = new Array(DIM).fill(0);
  v[axis % DIM] = 1;
  v[(axis + 1) % DIM] = tilt;
  return v;
}

export function docPoints(
  kb: string,
  doc: string,
  version: string,
  axis: number,
  meta: ChunkPayload["meta"],
): ChunkPoint[] {
  return [0, 1, 2].map((chunk) => ({
    dense: dense(axis, chunk * 0.1),
    sparse: { indices: [axis * 10 + chunk, 999], values: [1, 0.5] },
    payload: payload(kb, doc, version, chunk, meta),
  }));
}
