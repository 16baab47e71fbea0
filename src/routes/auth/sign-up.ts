import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { mailerFor } from "../../mail/index.js";
import { signUp } from "../../services/accounts/sign-up.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Email, Password, publicCtx, toUser, UserSchema } from "./schema.js";

const SignUpBody = z
  .strictObject({
    email: Email,
    password: Password,
    name: z.string().trim().max(200).optional().openapi({ example: "Ada Lovelace" }),
    organization_name: z.string().trim().min(1).max(200).optional().openapi({ example: "Acme" }),
    locale: z
      .string()
      .max(35)
      .optional()
      .openapi({ description: "Language of e-mails (default: Accept-Language).", example: "zh-CN" }),
  })
  .openapi("SignUp");

const SignUpResponse = z
  .object({
    user: UserSchema,
    organization: z.object({ id: z.string(), name: z.string() }).nullable(),
    verification_sent: z.literal(true),
    verification_delivery: z.enum(["email", "server_log"]).openapi({
      description:
        "How the verification link went out: `email`, or `server_log` when this server has no SMTP_URL and printed the link in its own output instead (ask its operator).",
    }),
  })
  .openapi("SignedUp");

export const route = createRoute({
  method: "post",
  path: "/auth/sign-up",
  tags: ["Accounts"],
  summary:
    "Create an account (SIGNUP=open also creates an organization you own); a verification link is e-mailed",
  security: [],
  request: { body: jsonBody(SignUpBody) },
  responses: {
    201: jsonResponse(SignUpResponse, "The account; confirm the e-mailed link before signing in."),
    ...errorResponses(403, 409),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const { user, org } = await signUp({
      ctx: publicCtx(c),
      input: {
        email: b.email,
        password: b.password,
        ...(b.name ? { name: b.name } : {}),
        ...(b.organization_name ? { organizationName: b.organization_name } : {}),
        ...(b.locale ? { locale: b.locale } : {}),
      },
    });
    return c.json(
      {
        user: toUser(user),
        organization: org ? { id: org.id, name: org.name } : null,
        verification_sent: true as const,
        verification_delivery:
          mailerFor(c.get("deps")).kind === "smtp" ? ("email" as const) : ("server_log" as const),
      },
      201,
    );
  });
}
