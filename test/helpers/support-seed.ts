/**
 * A support knowledge base for conversation, embed and widget tests: a router manual whose reset
 * procedure (page 4) says how long a reset takes, and a shipping guide that also talks about "how long
 * it takes", so a follow-up without its context finds the wrong passage.
 */
import type { AskTestApp } from "./ask-app.js";
import { indexDocument } from "./search-index.js";

export const ROUTER_RESET =
  "To reset the router, press and hold the reset button on the back for ten seconds. The reset takes about two minutes to complete, and the lights blink while the router restarts.";

export async function seedSupport(a: AskTestApp, name = "Support", budgetUsd?: number) {
  const r = await a.t.call("POST", "/v1/tenants", {
    body: { name, ...(budgetUsd !== undefined ? { monthly_budget_usd: budgetUsd } : {}) },
  });
  if (r.status !== 201) throw new Error(`tenant create failed: ${JSON.stringify(r.body)}`);
  const tenantId: string = r.body.tenant.id;
  const adminKey: string = r.body.key.key;
  const kb = await a.t.call("POST", "/v1/knowledge-bases", {
    key: adminKey,
    body: { name: "Help center", language: "en" },
  });
  const kbId: string = kb.body.id;
  const router = await indexDocument(a.t.deps.database, a.fx, {
    tenantId,
    kbId,
    title: "Router manual",
    chunks: [
      { text: "The router has four Ethernet ports and supports Wi-Fi 6 on two bands.", pageStart: 2 },
      { text: ROUTER_RESET, pageStart: 4, headingPath: ["Troubleshooting", "Reset"] },
    ],
  });
  const shipping = await indexDocument(a.t.deps.database, a.fx, {
    tenantId,
    kbId,
    title: "Shipping guide",
    chunks: [
      {
        text: "How long does it take for an order to arrive? Delivery takes three to five business days, and it takes longer for islands.",
        pageStart: 1,
      },
    ],
  });
  return { tenantId, adminKey, kbId, router, shipping };
}
