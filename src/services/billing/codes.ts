import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { sha256 } from "../../auth/tokens.js";
import type { ServiceCtx } from "../../context.js";
import { redemptionCodes } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, ServiceError } from "../errors.js";
import type { PlatformCtx } from "../platform/platform.js";
import { creditWallet } from "./wallet.js";

/** Unambiguous letters and digits (no 0/O, 1/I/L): codes are read off paper and typed by people. */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** "AIH-7K3M-9X2P-4Q5R-6S7T": 16 random symbols, about 79 bits. */
function newCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
  return `AIH-${chars.match(/.{4}/g)!.join("-")}`;
}

/** Case, spaces and dashes do not matter when a person types a code. */
const normalizeCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");

/** Generates a batch of single-use codes; the plain codes are returned once and only their hashes kept. */
export async function generateCodes(
  ctx: PlatformCtx,
  input: { count: number; amountMicros: number; expiresAt?: Date | null; note?: string },
) {
  const batchId = newId("rcb");
  const codes = Array.from({ length: input.count }, newCode);
  const { db } = ctx.deps.database;
  await db.transaction(async (tx) => {
    await tx.insert(redemptionCodes).values(
      codes.map((code) => ({
        id: newId("rc"),
        batchId,
        codeHash: sha256(normalizeCode(code)),
        amountMicros: input.amountMicros,
        expiresAt: input.expiresAt ?? null,
      })),
    );
    await recordAudit(tx, {
      tenantId: null,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "billing.codes.generate",
      resourceType: "redemption_code_batch",
      resourceId: batchId,
      detail: { count: input.count, amountMicros: input.amountMicros, note: input.note ?? "" },
      requestId: ctx.requestId,
    });
  });
  return { batchId, codes, amountMicros: input.amountMicros, expiresAt: input.expiresAt ?? null };
}

/**
 * Redeems a code into the caller's wallet. The code row is claimed with a conditional update, so two
 * organizations racing for one code cannot both get it; a used, expired or unknown code changes nothing.
 */
export async function redeemCode({ ctx, input }: { ctx: ServiceCtx; input: { code: string } }) {
  const hash = sha256(normalizeCode(input.code));
  const tenantId = ctx.auth.tenantId;
  const now = new Date();
  return ctx.deps.database.db.transaction(async (tx) => {
    const [row] = await tx.select().from(redemptionCodes).where(eq(redemptionCodes.codeHash, hash)).limit(1);
    const field = [{ field: "code", message: "unknown, used or expired" }];
    if (!row) throw new ServiceError("not_found", "This redemption code does not exist.", { fields: field });
    if (row.expiresAt && row.expiresAt <= now)
      throw new ServiceError("gone", "This redemption code has expired.", { fields: field });
    const claimed = await tx
      .update(redemptionCodes)
      .set({ redeemedTenantId: tenantId, redeemedAt: now })
      .where(and(eq(redemptionCodes.id, row.id), isNull(redemptionCodes.redeemedAt)))
      .returning({ id: redemptionCodes.id });
    if (!claimed.length)
      throw new ConflictError("This redemption code has already been used.", { fields: field });
    await creditWallet(tx, {
      tenantId,
      defaultPlanId: ctx.deps.config.plans.defaultPlanId,
      kind: "code",
      amountMicros: row.amountMicros,
      ref: `code:${row.id}`,
      detail: { batch_id: row.batchId },
    });
    await recordAudit(tx, {
      tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "billing.code.redeem",
      resourceType: "redemption_code",
      resourceId: row.id,
      detail: { amountMicros: row.amountMicros, batchId: row.batchId },
      requestId: ctx.requestId,
    });
    return { codeId: row.id, amountMicros: row.amountMicros };
  });
}
