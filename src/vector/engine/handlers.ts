import { EngineError, unsupported, wrongInput } from "./errors.js";
import { compileFilter } from "./filter.js";
import type { StoredPoint } from "./partition.js";
import { comparePointIds, type PointId, parsePointId } from "./point-id.js";
import { runQuery } from "./query.js";
import { collectionInfo, pointOut, scoredOut } from "./responses.js";
import type { Mutation, Store } from "./store.js";
import { parseLayout, parsePointVectors } from "./vectors.js";

export interface Request {
  method: string;
  /** Path segments after /collections/{name}, e.g. ["points", "query"]. */
  rest: string[];
  name: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const COLLECTION_NAME = /^[^/\\\0]{1,255}$/;

/** Handles /collections/{name}[/...]; returns the `result` value of the Qdrant response. */
export async function handleCollectionRoute(store: Store, req: Request): Promise<unknown> {
  const route = `${req.method} ${req.rest.join("/")}`;
  switch (route) {
    case "GET ":
      return collectionInfo(store.get(req.name));
    case "GET exists":
      return { exists: store.collections.has(req.name) };
    case "PUT ":
      return createCollection(store, req);
    case "DELETE ": {
      if (!store.collections.has(req.name)) return false;
      await store.commit({ op: "drop", c: req.name }).durable;
      return true;
    }
    case "PUT index":
      return createIndex(store, req);
    case "PUT points":
      return upsert(store, req);
    case "POST points/delete":
      return deletePoints(store, req);
    case "POST points/count": {
      const col = store.get(req.name);
      return { count: col.count(withFilter(req.body.filter)) };
    }
    case "POST points/query": {
      const col = store.get(req.name);
      const ranked = runQuery(col, req.body, undefined, true);
      return {
        points: scoredOut(col, ranked, req.body.with_payload ?? false, req.body.with_vector ?? false),
      };
    }
    case "POST points":
      return retrieve(store, req);
    case "POST points/scroll":
      return scroll(store, req);
    default:
      throw unsupported(`the endpoint ${req.method} /collections/{name}/${req.rest.join("/")}`);
  }
}

function withFilter(raw: unknown): unknown {
  compileFilter(raw);
  return raw;
}

/** Logs a mutation; with ?wait=true answers only once it is durable (Qdrant's "completed"). */
async function finish(store: Store, req: Request, m: Mutation): Promise<unknown> {
  const { lsn, durable } = store.commit(m);
  const wait = req.query.get("wait") === "true";
  if (wait) await durable;
  else durable.catch(() => {});
  return { operation_id: lsn, status: wait ? "completed" : "acknowledged" };
}

async function createCollection(store: Store, req: Request): Promise<unknown> {
  if (!COLLECTION_NAME.test(req.name)) throw wrongInput(`invalid collection name \`${req.name}\``);
  if (store.collections.has(req.name)) {
    throw new EngineError(409, `Wrong input: Collection \`${req.name}\` already exists!`);
  }
  for (const key of ["init_from", "sharding_method"]) {
    if (req.body[key] !== undefined && req.body[key] !== null && req.body[key] !== "auto") {
      throw unsupported(`\`${key}\` on collection creation`);
    }
  }
  parseLayout(req.body); // validates before anything is logged
  await store.commit({ op: "create", c: req.name, body: req.body }).durable;
  return true;
}

const FIELD_TYPES = ["keyword", "integer", "float", "geo", "text", "bool", "datetime", "uuid"];

async function createIndex(store: Store, req: Request): Promise<unknown> {
  store.get(req.name);
  const { field_name, field_schema } = req.body;
  if (typeof field_name !== "string" || field_name.length === 0) throw wrongInput("field_name is required");
  const type = isObject(field_schema) ? field_schema.type : field_schema;
  if (typeof type !== "string" || !FIELD_TYPES.includes(type)) {
    throw wrongInput(`field_schema must be one of ${FIELD_TYPES.join(", ")} (or params with such a type)`);
  }
  return finish(store, req, { op: "index", c: req.name, field: field_name, schema: field_schema });
}

function pointsFromBody(body: Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(body.points)) return body.points as Record<string, unknown>[];
  if (isObject(body.batch)) {
    const { ids, vectors, payloads } = body.batch as {
      ids?: unknown[];
      vectors?: unknown;
      payloads?: unknown[];
    };
    if (!Array.isArray(ids)) throw wrongInput("batch.ids must be a list");
    return ids.map((id, i) => ({
      id,
      vector: Array.isArray(vectors)
        ? vectors[i]
        : Object.fromEntries(Object.entries(vectors as Record<string, unknown[]>).map(([n, v]) => [n, v[i]])),
      payload: payloads?.[i] ?? {},
    }));
  }
  throw wrongInput("upsert body needs `points` (a list of points) or `batch`");
}

async function upsert(store: Store, req: Request): Promise<unknown> {
  const col = store.get(req.name);
  if (req.body.update_filter != null || (req.body.update_mode != null && req.body.update_mode !== "upsert")) {
    throw unsupported("conditional upserts (update_filter / update_mode)");
  }
  const points: StoredPoint[] = pointsFromBody(req.body).map((raw, i) => {
    if (!isObject(raw)) throw wrongInput(`points[${i}] must be an object`);
    const payload = raw.payload ?? {};
    if (!isObject(payload)) throw wrongInput(`points[${i}].payload must be an object`);
    const { dense, sparse } = parsePointVectors(raw.vector, col.layout);
    return { id: parsePointId(raw.id), version: 0, payload, dense, sparse };
  });
  return finish(store, req, { op: "upsert", c: req.name, points });
}

async function deletePoints(store: Store, req: Request): Promise<unknown> {
  const col = store.get(req.name);
  let ids: PointId[];
  if (Array.isArray(req.body.points)) ids = req.body.points.map(parsePointId);
  else if (isObject(req.body.filter)) ids = col.matchingIds(withFilter(req.body.filter));
  else throw wrongInput("delete body needs `points` (a list of ids) or `filter`");
  return finish(store, req, { op: "delete", c: req.name, ids });
}

function retrieve(store: Store, req: Request): unknown {
  const col = store.get(req.name);
  if (!Array.isArray(req.body.ids)) throw wrongInput("ids must be a list of point ids");
  const out: unknown[] = [];
  for (const raw of req.body.ids) {
    const ref = col.get(parsePointId(raw));
    if (ref) out.push(pointOut(col, ref, req.body.with_payload ?? true, req.body.with_vector ?? false));
  }
  return out;
}

function scroll(store: Store, req: Request): unknown {
  const col = store.get(req.name);
  if (req.body.order_by !== undefined && req.body.order_by !== null)
    throw unsupported("scroll with order_by");
  const limit = req.body.limit ?? 10;
  if (!Number.isInteger(limit) || (limit as number) < 1) throw wrongInput("limit must be a positive integer");
  let ids = col.matchingIds(withFilter(req.body.filter));
  if (req.body.offset !== undefined && req.body.offset !== null) {
    const from = parsePointId(req.body.offset);
    ids = ids.filter((id) => comparePointIds(id, from) >= 0);
  }
  const page = ids.slice(0, limit as number);
  return {
    points: page.map((id) =>
      pointOut(col, col.get(id)!, req.body.with_payload ?? true, req.body.with_vector ?? false),
    ),
    next_page_offset: ids[limit as number] ?? null,
  };
}
