import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { listTranscripts, transcriptsCsv } from "../../services/embeds/transcripts.js";
import { errorResponses, PageQuery, security } from "../common.js";
import { ConversationSchema, MessageSchema, toConversation, toMessage } from "../conversations/schema.js";
import { EmbedIdParam } from "./schema.js";

const TranscriptPage = z
  .object({
    data: z.array(z.object({ conversation: ConversationSchema, messages: z.array(MessageSchema) })),
    next_cursor: z.string().nullable(),
  })
  .openapi("TranscriptPage");

export const route = createRoute({
  method: "get",
  path: "/embeds/{id}/conversations",
  tags: ["Embeds"],
  summary: "Transcripts: an embed's conversations with messages, citations, feedback and cost (scope admin)",
  security,
  request: {
    params: EmbedIdParam,
    query: PageQuery.extend({
      format: z.enum(["json", "csv"]).default("json").openapi({ description: "csv: one row per message." }),
    }),
  },
  responses: {
    200: {
      description: "One page of conversations, oldest first. `format=csv` returns the page as CSV.",
      content: { "application/json": { schema: TranscriptPage }, "text/csv": { schema: z.string() } },
    },
    ...errorResponses(403, 404),
  },
});

export type TranscriptPageResult = z.infer<typeof TranscriptPage>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const id = c.req.valid("param").id;
    const page = await listTranscripts({
      ctx: serviceCtx(c, "admin"),
      input: { embedId: id, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
    });
    if (q.format === "csv") {
      return c.body(transcriptsCsv(page.items), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="transcripts-${id}.csv"`,
        ...(page.nextCursor ? { "x-next-cursor": page.nextCursor } : {}),
      });
    }
    return c.json(
      {
        data: page.items.map((t) => ({
          conversation: toConversation(t.conversation),
          messages: t.messages.map(toMessage),
        })),
        next_cursor: page.nextCursor,
      },
      200,
    );
  });
}
