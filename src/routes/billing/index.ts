import { newRouter } from "../common.js";
import * as get from "./get.js";
import * as payments from "./payments.js";
import * as statements from "./statements.js";
import * as wallet from "./wallet.js";

/** /v1/billing/...: an organization's plan, quotas, wallet, payments and statements (billing and owner roles). */
export function billingRoutes() {
  const app = newRouter();
  get.register(app);
  wallet.register(app);
  payments.register(app);
  statements.register(app);
  return app;
}
