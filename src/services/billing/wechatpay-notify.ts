import { eq } from "drizzle-orm";
import { fenOf } from "../../billing/payments/cny.js";
import type { WechatPayTransaction } from "../../billing/payments/types.js";
import type { AppDeps } from "../../context.js";
import { payments } from "../../db/schema.js";
import { ServiceError } from "../errors.js";
import { completeTopUp, firstDelivery } from "./payments.js";

/**
 * A verified, decrypted WeChat Pay notification (the adapter checked the platform signature and opened
 * the AES-256-GCM resource). Credits the top-up once: the event is recorded by transaction id, and the
 * wallet entry is keyed by our payment id, so three deliveries credit once. A genuine notification for
 * another merchant or another amount credits nothing.
 */
export async function applyWechatPayNotification(
  deps: AppDeps,
  input: { transaction: WechatPayTransaction; mchid: string },
): Promise<{ credited: boolean }> {
  const t = input.transaction;
  if (t.eventType !== "TRANSACTION.SUCCESS" || t.trade_state !== "SUCCESS") return { credited: false };
  const refuse = (message: string, field: string) =>
    new ServiceError("bad_request", message, { fields: [{ field, message }] });
  if (t.mchid !== input.mchid) throw refuse("The notification is for another merchant.", "resource.mchid");
  return deps.database.db.transaction(async (tx) => {
    const [pay] = await tx.select().from(payments).where(eq(payments.id, t.out_trade_no)).limit(1);
    if (pay?.provider !== "wechatpay" || pay.purpose !== "top_up")
      throw refuse("Unknown out_trade_no.", "resource.out_trade_no");
    if (
      t.amount.currency !== "CNY" ||
      t.amount.total !== fenOf(pay.amountMicros, deps.config.WECHATPAY_CNY_PER_USD)
    )
      throw refuse("The amount does not match the order.", "resource.amount.total");
    const first = await firstDelivery(tx, {
      id: `wechatpay:${t.transaction_id || t.notifyId}`,
      provider: "wechatpay",
      type: t.eventType,
      tenantId: pay.tenantId,
    });
    if (!first) return { credited: false };
    const credited = await completeTopUp(deps, tx, {
      paymentId: pay.id,
      provider: "wechatpay",
      eventId: t.notifyId || t.transaction_id,
    });
    return { credited };
  });
}
