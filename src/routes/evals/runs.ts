import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getEvalRun, listEvalRuns } from "../../services/evals/runs.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { EvalRunSchema, RunIdParams, toEvalRun } from "./schema.js";

const ListResponse = z.object({ data: z.array(EvalRunSchema), next_cursor: z.string().nullable() });

export const listRoute = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/evals/runs",
  tags: ["Evals"],
  summary: "List past golden-set runs, newest first, without their misses (scope query)",
  security,
  request: { params: KbIdParam, query: PageQuery },
  responses: { 200: jsonResponse(ListResponse, "A page of runs."), ...errorResponses(403, 404) },
});

export const getRoute = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/evals/runs/{runId}",
  tags: ["Evals"],
  summary: "Get one golden-set run with its misses (scope query)",
  security,
  request: { params: RunIdParams },
  responses: { 200: jsonResponse(EvalRunSchema, "The run."), ...errorResponses(403, 404) },
});

export type ListEvalRunsResult = z.infer<typeof ListResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const page = await listEvalRuns({
      ctx: serviceCtx(c, "query"),
      input: { kbId: c.req.valid("param").id, ...c.req.valid("query") },
    });
    return c.json({ data: page.items.map((r) => toEvalRun(r, false)), next_cursor: page.nextCursor }, 200);
  });
  app.openapi(getRoute, async (c) => {
    const { id, runId } = c.req.valid("param");
    const row = await getEvalRun({ ctx: serviceCtx(c, "query"), input: { kbId: id, runId } });
    return c.json(toEvalRun(row, true), 200);
  });
}
