import { and, count, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { evalQuestions } from "../db/schema.js";

/**
 * How many units of a key's per-minute limit a request uses. Most requests are one; requests that
 * make the service do many requests' work count as that many, so no route is a way around the limit.
 */
export const REQUEST_COST = {
  default: 1,
  /** Parsing, embedding and indexing a document: far more work than a search. */
  upload: 10,
  /** Keys are credentials: minting many quickly is what an attacker does, not an integration. */
  keyCreate: 10,
} as const;

const UPLOAD = /^\/v1\/knowledge-bases\/[^/]+\/documents$/;
const EVAL_RUN = /^\/v1\/knowledge-bases\/([^/]+)\/evals\/run$/;

export async function requestCost(c: Context<AppEnv>): Promise<number> {
  const { method, path } = c.req;
  if (method !== "POST") return REQUEST_COST.default;
  if (UPLOAD.test(path)) return REQUEST_COST.upload;
  if (path === "/v1/keys") return REQUEST_COST.keyCreate;
  if (path === "/v1/ask") {
    // One unit per model asked: each is a full generation (the body was already parsed and is cached).
    const body = (await c.req.json().catch(() => null)) as { models?: unknown } | null;
    return Array.isArray(body?.models) ? Math.max(1, body.models.length) : REQUEST_COST.default;
  }
  const evalRun = EVAL_RUN.exec(path);
  const auth = c.get("auth");
  if (evalRun && auth.tenantId) {
    // An eval run is one search per golden question.
    const [row] = await c
      .get("deps")
      .database.db.select({ n: count() })
      .from(evalQuestions)
      .where(and(eq(evalQuestions.tenantId, auth.tenantId), eq(evalQuestions.kbId, evalRun[1]!)));
    return Math.max(1, row?.n ?? 0);
  }
  return REQUEST_COST.default;
}
