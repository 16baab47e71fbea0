/**
 * Payment providers behind one small interface (issue 16), so a new one (WeChat Pay) is one more
 * adapter: it starts a top-up and proves its notifications are genuine. What a paid top-up does to the
 * wallet is decided once, in services/billing, not in each adapter.
 */
export interface TopUpOrder {
  /** Our payment id (`pay_...`): the provider echoes it back in its notification. */
  paymentId: string;
  tenantId: string;
  amountMicros: number;
  subject: string;
  /** Where the payer lands afterwards (the console). */
  returnUrl: string;
}

export interface StartedPayment {
  /** The provider's id for this payment (Checkout session, Alipay out_trade_no). */
  externalId: string;
  /** Where to send the payer (Checkout, Alipay's cashier page). */
  url?: string;
  /** What the payer scans (Alipay precreate). */
  qrCode?: string;
}

export interface PaymentProvider {
  readonly id: "stripe" | "alipay" | "wechatpay";
  startTopUp(order: TopUpOrder, method?: "page" | "qr"): Promise<StartedPayment>;
}

/** A verified Stripe event, reduced to what billing reads. */
export interface StripeEventLike {
  id: string;
  type: string;
  /** Unix seconds at Stripe: orders subscription events that arrive out of order. */
  created: number;
  data: { object: Record<string, any> };
}

export interface StripeBilling extends PaymentProvider {
  readonly id: "stripe";
  startSubscription(input: {
    paymentId: string;
    tenantId: string;
    planId: string;
    priceId: string;
    customerId: string | null;
    returnUrl: string;
  }): Promise<StartedPayment>;
  portalUrl(customerId: string, returnUrl: string): Promise<string>;
  /** Throws when the Stripe-Signature header does not match the raw body (the stripe package's check). */
  verifyWebhook(rawBody: string, signature: string): StripeEventLike;
}

export interface AlipayBilling extends PaymentProvider {
  readonly id: "alipay";
  /** Whether an asynchronous notification's RSA2 signature is Alipay's (the SDK's check). */
  verifyNotify(params: Record<string, string>): boolean;
}

/** The headers WeChat Pay signs its notifications with (API v3). */
export interface WechatPayNotifyHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  /** Which platform key signed: a platform certificate serial or a public key id (PUB_KEY_ID_...). */
  serial: string;
}

/** A decrypted WeChat Pay transaction (the notification's `resource`), reduced to what billing reads. */
export interface WechatPayTransaction {
  /** The notification's id (not the transaction's). */
  notifyId: string;
  eventType: string;
  mchid: string;
  appid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_state: string;
  amount: { total: number; currency: string };
}

export interface WechatPayBilling extends PaymentProvider {
  readonly id: "wechatpay";
  readonly mchid: string;
  /**
   * Opens a notification: checks its RSA-SHA256 signature with WeChat Pay's platform key and its
   * timestamp, then decrypts the AES-256-GCM resource with the APIv3 key. Null when any of it fails.
   */
  openNotification(headers: WechatPayNotifyHeaders, rawBody: string): WechatPayTransaction | null;
}

export interface Payments {
  stripe?: StripeBilling;
  alipay?: AlipayBilling;
  wechatpay?: WechatPayBilling;
}
