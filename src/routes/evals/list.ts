import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listEvalQuestions } from "../../services/evals/questions.js";
import { errorResponses, jsonResponse, PageQuery, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { EvalQuestionSchema, toEvalQuestion } from "./schema.js";

const ListResponse = z.object({ data: z.array(EvalQuestionSchema), next_cursor: z.string().nullable() });

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/evals",
  tags: ["Evals"],
  summary: "List a knowledge base's golden questions, oldest first (scope query)",
  security,
  request: { params: KbIdParam, query: PageQuery },
  responses: { 200: jsonResponse(ListResponse, "A page of questions."), ...errorResponses(403, 404) },
});

export type ListEvalsResult = z.infer<typeof ListResponse>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const page = await listEvalQuestions({
      ctx: serviceCtx(c, "query"),
      input: { kbId: c.req.valid("param").id, ...c.req.valid("query") },
    });
    return c.json({ data: page.items.map(toEvalQuestion), next_cursor: page.nextCursor }, 200);
  });
}
