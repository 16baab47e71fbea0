import type { Context } from "hono";
import type { AppEnv, ServiceCtx } from "../../context.js";
import { ApiError } from "../../errors.js";
import type { EmbedRow } from "../../services/embeds/create.js";
import { originAllowed } from "../../services/embeds/origins.js";
import { embedCtx, loadEmbed } from "../../services/embeds/public.js";
import { verifyVisitorToken } from "../../services/embeds/visitor-token.js";

export const VISITOR_TOKEN_HEADER = "x-visitor-token";
export const CONVERSATION_TOKEN_HEADER = "x-conversation-token";

const ALLOW_HEADERS = ["content-type", VISITOR_TOKEN_HEADER, CONVERSATION_TOKEN_HEADER, "x-request-id"];
const EXPOSE_HEADERS = ["x-message-id", "x-request-id", "retry-after"];

const TOKEN_PROBLEMS = {
  missing: `This assistant only talks to signed-in visitors: send the token your backend minted in the ${VISITOR_TOKEN_HEADER} header (widget: setVisitorToken).`,
  malformed:
    "The visitor token is malformed. Mint it as <base64url(JSON)>.<base64url(HMAC-SHA256)> (see README).",
  bad_signature: "The visitor token's signature does not match this embed's signing secret.",
  wrong_embed: "The visitor token was minted for another embed.",
  expired: "The visitor token has expired. Mint a new one (tokens live at most an hour).",
  too_long: "The visitor token expires more than an hour from now; tokens may live at most an hour.",
} as const;

/** CORS for one allowed origin: the header names it, never "*", and caches vary by Origin. */
function allowOrigin(c: Context<AppEnv>, origin: string) {
  c.header("access-control-allow-origin", origin);
  c.header("vary", "Origin");
  c.header("access-control-expose-headers", EXPOSE_HEADERS.join(", "));
}

function refuseOrigin(origin: string | undefined): ApiError {
  return new ApiError(
    "origin_not_allowed",
    origin
      ? `This assistant is not enabled on ${origin}. The site owner can add this origin to the embed's allowed_origins.`
      : "Requests to this assistant must come from a web page on an allowed origin; the Origin header is missing.",
  );
}

export interface EmbedAccess {
  embed: EmbedRow;
  ctx: ServiceCtx;
  /** The signed visitor (signed mode); null when the embed takes anonymous visitors. */
  signedVisitorId: string | null;
}

/**
 * The one gate of every public endpoint: the embed exists, the page's Origin is on its list (CORS
 * headers go to that origin only), and in signed mode the visitor token is valid.
 */
export async function embedAccess(c: Context<AppEnv>, embedId: string): Promise<EmbedAccess> {
  const deps = c.get("deps");
  const embed = await loadEmbed(deps, embedId);
  const origin = c.req.header("origin");
  if (!originAllowed(origin, embed.allowedOrigins)) throw refuseOrigin(origin);
  allowOrigin(c, origin!);
  let signedVisitorId: string | null = null;
  if (embed.signedVisitorsOnly) {
    const check = verifyVisitorToken(c.req.header(VISITOR_TOKEN_HEADER), embed.id, embed.signingSecret);
    if (!check.ok) {
      throw new ApiError("visitor_token_invalid", TOKEN_PROBLEMS[check.reason], {
        data: { reason: check.reason },
      });
    }
    signedVisitorId = check.visitorId;
  }
  return { embed, ctx: embedCtx(deps, embed, c.get("requestId")), signedVisitorId };
}

/** Preflight: answered for allowed origins only; a foreign page learns nothing but the refusal. */
export async function preflight(c: Context<AppEnv>, embedId: string): Promise<Response> {
  const embed = await loadEmbed(c.get("deps"), embedId);
  const origin = c.req.header("origin");
  if (!originAllowed(origin, embed.allowedOrigins)) throw refuseOrigin(origin);
  allowOrigin(c, origin!);
  c.header("access-control-allow-methods", "GET, POST");
  c.header("access-control-allow-headers", ALLOW_HEADERS.join(", "));
  c.header("access-control-max-age", "600");
  return c.body(null, 204);
}
