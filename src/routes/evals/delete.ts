import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { deleteEvalQuestion } from "../../services/evals/questions.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { QuestionIdParams } from "./schema.js";

const Deleted = z.object({ id: z.string(), deleted: z.literal(true) }).openapi("EvalQuestionDeleted");

export const route = createRoute({
  method: "delete",
  path: "/knowledge-bases/{id}/evals/{questionId}",
  tags: ["Evals"],
  summary: "Remove a golden question (scope admin); past runs keep their results",
  security,
  request: { params: QuestionIdParams },
  responses: { 200: jsonResponse(Deleted, "The question was removed."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id, questionId } = c.req.valid("param");
    const result = await deleteEvalQuestion({ ctx: serviceCtx(c, "admin"), input: { kbId: id, questionId } });
    return c.json(result, 200);
  });
}
