import { z } from "zod";
import type { MetaCondition, MetaFilter, Scope, Selector } from "./types.js";

export const MAX_META_CONDITIONS = 32;

/** Document identity is not metadata: a filter on it would silently match nothing. */
const NOT_METADATA = /^(document_ids?|doc_ids?|document_version_ids?|doc_versions?|version_ids?)$/;

const metaKey = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "metadata keys use letters, digits, '_', '.' and '-' (1-64 characters)")
  .refine(
    (k) => !NOT_METADATA.test(k),
    "documents are chosen with `document_ids` / `document_version_ids` beside `filter`, not as metadata",
  );

// Qdrant matches only strings, integers and booleans exactly; decimals need a range condition.
const matchScalar = z.union([
  z.string().max(1024),
  z.number().int("match on numbers needs integers; use a range condition for decimals"),
  z.boolean(),
]);
const matchList = z.union([
  z.array(z.string().max(1024)).min(1).max(100),
  z
    .array(z.number().int("match on numbers needs integers; use a range condition for decimals"))
    .min(1)
    .max(100),
]);
const bound = z.number().finite().optional();

const metaConditionSchema = z.union([
  z.strictObject({ key: metaKey, match: z.strictObject({ value: matchScalar }) }),
  z.strictObject({ key: metaKey, match: z.strictObject({ any: matchList }) }),
  z.strictObject({ key: metaKey, match: z.strictObject({ except: matchList }) }),
  z.strictObject({
    key: metaKey,
    range: z
      .strictObject({ gt: bound, gte: bound, lt: bound, lte: bound })
      .refine(
        (r) => Object.values(r).some((v) => v !== undefined),
        "range needs at least one of gt, gte, lt, lte",
      ),
  }),
]);

/** Validates a user-supplied metadata filter (API request bodies); output is a MetaFilter. */
export const metaFilterSchema = z
  .strictObject({
    must: z.array(metaConditionSchema).optional(),
    should: z.array(metaConditionSchema).optional(),
    must_not: z.array(metaConditionSchema).optional(),
  })
  .refine(
    (f) => (f.must?.length ?? 0) + (f.should?.length ?? 0) + (f.must_not?.length ?? 0) <= MAX_META_CONDITIONS,
    `a metadata filter has at most ${MAX_META_CONDITIONS} conditions`,
  );

type QdrantCondition = Record<string, unknown>;
export interface QdrantFilter {
  must: QdrantCondition[];
  should?: QdrantCondition[];
  must_not?: QdrantCondition[];
}

function metaCondition(c: MetaCondition): QdrantCondition {
  const key = `meta.${c.key}`;
  return "range" in c ? { key, range: c.range } : { key, match: c.match };
}

/** The tenant condition comes first and always: callers cannot drop or widen it. */
function baseFilter(tenantId: string): QdrantFilter {
  return { must: [{ key: "tenant_id", match: { value: tenantId } }] };
}

function anyOf(key: string, values: string[] | undefined): QdrantCondition[] {
  return values === undefined ? [] : [{ key, match: { any: values } }];
}

export function scopeFilter(tenantId: string, scope: Scope): QdrantFilter {
  const filter = baseFilter(tenantId);
  filter.must.push(
    ...anyOf("kb_id", scope.kbIds),
    ...anyOf("doc_id", scope.docIds),
    ...anyOf("doc_version", scope.docVersions),
  );
  const meta: MetaFilter = scope.meta ?? {};
  filter.must.push(...(meta.must ?? []).map(metaCondition));
  if (meta.should?.length) filter.should = meta.should.map(metaCondition);
  if (meta.must_not?.length) filter.must_not = meta.must_not.map(metaCondition);
  // Versions still indexing or already replaced stay invisible even though their points exist.
  if (scope.excludeDocVersions?.length) {
    const hidden = { key: "doc_version", match: { any: scope.excludeDocVersions } };
    filter.must_not = [...(filter.must_not ?? []), hidden];
  }
  return filter;
}

export function selectorFilter(tenantId: string, sel: Selector): QdrantFilter {
  const filter = baseFilter(tenantId);
  if (sel.kbId !== undefined) filter.must.push({ key: "kb_id", match: { value: sel.kbId } });
  if (sel.docId !== undefined) filter.must.push({ key: "doc_id", match: { value: sel.docId } });
  if (sel.docVersion !== undefined)
    filter.must.push({ key: "doc_version", match: { value: sel.docVersion } });
  return filter;
}
