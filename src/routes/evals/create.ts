import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createEvalQuestions } from "../../services/evals/questions.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { CreateEvalsBody, EvalQuestionSchema, toEvalQuestion } from "./schema.js";

const Created = z.object({ data: z.array(EvalQuestionSchema) });

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases/{id}/evals",
  tags: ["Evals"],
  summary:
    "Add golden questions: each with the documents (optionally pages) search should find (scope admin)",
  security,
  request: { params: KbIdParam, body: jsonBody(CreateEvalsBody) },
  responses: {
    201: jsonResponse(Created, "The stored questions, in request order."),
    ...errorResponses(403, 404, 409),
  },
});

export type CreateEvalsRequest = z.input<typeof CreateEvalsBody>;
export type CreateEvalsResult = z.infer<typeof Created>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const rows = await createEvalQuestions({
      ctx: serviceCtx(c, "admin"),
      input: {
        kbId: c.req.valid("param").id,
        questions: b.questions.map((q) => ({
          question: q.question,
          expected: q.expected.map((e) => ({ documentId: e.document_id, pages: e.pages })),
        })),
      },
    });
    return c.json({ data: rows.map(toEvalQuestion) }, 201);
  });
}
