import { and, eq, isNull } from "drizzle-orm";
import { newSecret, sha256 } from "../../auth/tokens.js";
import type { Db } from "../../db/client.js";
import { authTokens } from "../../db/schema.js";
import { ServiceError } from "../errors.js";

export type TokenPurpose = "verify_email" | "reset_password" | "change_email" | "mfa" | "oidc_state";

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3_600_000,
  reset_password: 30 * 60_000,
  change_email: 24 * 3_600_000,
  mfa: 5 * 60_000,
  oidc_state: 10 * 60_000,
};

/** Issues a one-time token; only its sha256 is stored. Earlier unused tokens of the same purpose die. */
export async function issueToken(
  db: Db,
  purpose: TokenPurpose,
  userId: string | null,
  data: Record<string, unknown> = {},
  token = newSecret(),
): Promise<string> {
  if (userId && purpose !== "mfa") {
    await db
      .update(authTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)));
  }
  await db.insert(authTokens).values({
    tokenHash: sha256(token),
    purpose,
    userId,
    data,
    expiresAt: new Date(Date.now() + TOKEN_TTL_MS[purpose]),
  });
  return token;
}

/** Reads a live token without using it up (second-factor challenges count their attempts instead). */
export async function peekToken(db: Db, purpose: TokenPurpose, token: string, field = "token") {
  const [row] = await db
    .select()
    .from(authTokens)
    .where(eq(authTokens.tokenHash, sha256(token)))
    .limit(1);
  if (!row || row.purpose !== purpose) {
    throw new ServiceError("gone", "This link or code is not valid. Ask for a new one.", {
      fields: [{ field, message: "unknown token" }],
    });
  }
  if (row.usedAt) {
    throw new ServiceError("gone", "This link was already used. Ask for a new one.", {
      fields: [{ field, message: "already used" }],
    });
  }
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new ServiceError("gone", "This link has expired. Ask for a new one.", {
      fields: [{ field, message: "expired" }],
    });
  }
  return row;
}

/** Uses a token up (atomically: of two concurrent uses only one succeeds). */
export async function consumeToken(db: Db, purpose: TokenPurpose, token: string, field = "token") {
  const row = await peekToken(db, purpose, token, field);
  const used = await db
    .update(authTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(authTokens.tokenHash, row.tokenHash), isNull(authTokens.usedAt)))
    .returning({ tokenHash: authTokens.tokenHash });
  if (!used.length) {
    throw new ServiceError("gone", "This link was already used. Ask for a new one.", {
      fields: [{ field, message: "already used" }],
    });
  }
  return row;
}
