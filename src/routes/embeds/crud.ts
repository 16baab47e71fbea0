import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { createEmbed, type EmbedSettings } from "../../services/embeds/create.js";
import { deleteEmbed, getEmbed, listEmbeds, updateEmbed } from "../../services/embeds/manage.js";
import { errorResponses, jsonBody, jsonResponse, PageQuery, security } from "../common.js";
import {
  CreatedEmbedSchema,
  CreateEmbedBody,
  EmbedIdParam,
  EmbedSchema,
  fromEmbedBody,
  toEmbed,
  UpdateEmbedBody,
} from "./schema.js";

const tags = ["Embeds"];

/** Where the widget is served from, for the snippet: PUBLIC_URL, else the origin this request reached. */
export const baseUrlOf = (c: Context<AppEnv>) => c.get("deps").config.PUBLIC_URL ?? new URL(c.req.url).origin;

export const createEmbedRoute = createRoute({
  method: "post",
  path: "/embeds",
  tags,
  summary: "Create a public chat bot for websites; its signing secret is shown only here (scope admin)",
  security,
  request: { body: jsonBody(CreateEmbedBody) },
  responses: {
    201: jsonResponse(CreatedEmbedSchema, "The embed, its snippet and its signing secret (shown once)."),
    ...errorResponses(403, 404),
  },
});

export const listEmbedsRoute = createRoute({
  method: "get",
  path: "/embeds",
  tags,
  summary: "List embeds (scope admin)",
  security,
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(
      z.object({ data: z.array(EmbedSchema), next_cursor: z.string().nullable() }),
      "One page of embeds, oldest first.",
    ),
    ...errorResponses(403),
  },
});

export const getEmbedRoute = createRoute({
  method: "get",
  path: "/embeds/{id}",
  tags,
  summary: "Get an embed (scope admin)",
  security,
  request: { params: EmbedIdParam },
  responses: { 200: jsonResponse(EmbedSchema, "The embed."), ...errorResponses(403, 404) },
});

export const updateEmbedRoute = createRoute({
  method: "patch",
  path: "/embeds/{id}",
  tags,
  summary: "Change an embed's settings; the next widget request sees them (scope admin)",
  security,
  request: { params: EmbedIdParam, body: jsonBody(UpdateEmbedBody) },
  responses: { 200: jsonResponse(EmbedSchema, "The updated embed."), ...errorResponses(403, 404) },
});

export const deleteEmbedRoute = createRoute({
  method: "delete",
  path: "/embeds/{id}",
  tags,
  summary: "Delete an embed with its conversations (scope admin)",
  security,
  request: { params: EmbedIdParam },
  responses: { 204: { description: "Deleted." }, ...errorResponses(403, 404) },
});

export type CreateEmbedRequest = z.input<typeof CreateEmbedBody>;
export type CreatedEmbed = z.infer<typeof CreatedEmbedSchema>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(createEmbedRoute, async (c) => {
    const b = c.req.valid("json");
    const s = fromEmbedBody(b);
    const row = await createEmbed({
      ctx: serviceCtx(c, "admin"),
      input: {
        ...(s as EmbedSettings),
        models: s.models ?? [],
        promptTemplate: s.promptTemplate ?? "support-bot",
        greeting: s.greeting ?? "",
        starterQuestions: s.starterQuestions ?? [],
        theme: s.theme ?? {},
        defaultLanguage: s.defaultLanguage ?? null,
        maxMessagesPerConversation: s.maxMessagesPerConversation ?? null,
        maxConversationsPerVisitorPerDay: s.maxConversationsPerVisitorPerDay ?? null,
        maxMessagesPerDay: s.maxMessagesPerDay ?? null,
        monthlyBudgetMicros: s.monthlyBudgetMicros ?? null,
        signedVisitorsOnly: s.signedVisitorsOnly ?? false,
      },
    });
    return c.json({ ...toEmbed(row, baseUrlOf(c)), signing_secret: row.signingSecret }, 201);
  });
  app.openapi(listEmbedsRoute, async (c) => {
    const page = await listEmbeds({ ctx: serviceCtx(c, "admin"), input: c.req.valid("query") });
    const base = baseUrlOf(c);
    return c.json({ data: page.items.map((r) => toEmbed(r, base)), next_cursor: page.nextCursor }, 200);
  });
  app.openapi(getEmbedRoute, async (c) => {
    const row = await getEmbed({ ctx: serviceCtx(c, "admin"), input: c.req.valid("param") });
    return c.json(toEmbed(row, baseUrlOf(c)), 200);
  });
  app.openapi(updateEmbedRoute, async (c) => {
    const row = await updateEmbed({
      ctx: serviceCtx(c, "admin"),
      input: { id: c.req.valid("param").id, patch: fromEmbedBody(c.req.valid("json")) },
    });
    return c.json(toEmbed(row, baseUrlOf(c)), 200);
  });
  app.openapi(deleteEmbedRoute, async (c) => {
    await deleteEmbed({ ctx: serviceCtx(c, "admin"), input: c.req.valid("param") });
    return c.body(null, 204);
  });
}
