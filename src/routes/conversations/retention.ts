import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getRetention, purgeConversations, setRetention } from "../../services/conversations/retention.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { RetentionBody } from "./schema.js";

const tags = ["Conversations"];

export const getRoute = createRoute({
  method: "get",
  path: "/conversations/retention",
  tags,
  summary: "How long this organization keeps conversations (scope admin)",
  security,
  responses: { 200: jsonResponse(RetentionBody, "The retention setting."), ...errorResponses(403) },
});

export const putRoute = createRoute({
  method: "put",
  path: "/conversations/retention",
  tags,
  summary: "Set how long this organization keeps conversations (scope admin)",
  security,
  request: { body: jsonBody(RetentionBody) },
  responses: { 200: jsonResponse(RetentionBody, "The new setting."), ...errorResponses(403) },
});

export const purgeRoute = createRoute({
  method: "post",
  path: "/conversations/purge",
  tags,
  summary:
    "Delete conversations older than the retention now (the server also does this hourly; scope admin)",
  security,
  responses: {
    200: jsonResponse(z.object({ deleted: z.number().int() }), "How many conversations were deleted."),
    ...errorResponses(403),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) =>
    c.json({ days: await getRetention({ ctx: serviceCtx(c, "admin") }) }, 200),
  );
  app.openapi(putRoute, async (c) => {
    const days = await setRetention({ ctx: serviceCtx(c, "admin"), input: c.req.valid("json") });
    return c.json({ days }, 200);
  });
  app.openapi(purgeRoute, async (c) =>
    c.json(await purgeConversations({ ctx: serviceCtx(c, "admin") }), 200),
  );
}
