import { newRouter } from "../common.js";
import * as alipay from "./alipay.js";
import * as stripe from "./stripe.js";
import * as wechatpay from "./wechatpay.js";

/** Payment providers' notifications: no key or session; each proves itself by its provider's signature. */
export function webhookRoutes() {
  const app = newRouter();
  stripe.register(app);
  alipay.register(app);
  wechatpay.register(app);
  return app;
}
