import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { runGoldenSet } from "../../services/evals/run.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { EvalRunSchema, RunEvalBody, toEvalRun } from "./schema.js";

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases/{id}/evals/run",
  tags: ["Evals"],
  summary:
    "Run the golden questions through search with the current settings and store the result (scope query)",
  description:
    "Each question is searched like POST /v1/search (and billed like it). Returns recall@1/5/10, MRR@10 and " +
    "nDCG@10 with the misses; the run is kept so runs before and after a chunking or embedder change can be compared.",
  security,
  request: {
    params: KbIdParam,
    body: { required: false, content: { "application/json": { schema: RunEvalBody } } },
  },
  responses: {
    201: jsonResponse(EvalRunSchema, "The stored run, with its misses."),
    ...errorResponses(403, 404, 409, 503),
  },
});

export type RunEvalRequest = z.input<typeof RunEvalBody>;
export type EvalRunResult = z.infer<typeof EvalRunSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const ctx = serviceCtx(c, "query");
    // An empty body means the defaults (the validator only runs when a JSON body was sent).
    const b = RunEvalBody.parse((c.req.valid("json") as unknown) ?? {});
    const row = await runGoldenSet({
      ctx,
      input: { kbId: c.req.valid("param").id, mode: b.mode, topK: b.top_k },
      signal: c.req.raw.signal,
    });
    return c.json(toEvalRun(row, true), 201);
  });
}
