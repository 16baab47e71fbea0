import { describe, expect, it } from "vitest";
import en from "../../src/i18n/locales/en/widget.json";
import { ApiRefusal } from "../../src/widget/api.js";
import { refusalMessage } from "../../src/widget/message-parts.js";

/** What a failed ask tells the visitor, by the server's stable error code (the widget's one mapping). */
describe("widget refusal messages", () => {
  const refusal = (status: number, code: string, body: Record<string, unknown> = {}) =>
    new ApiRefusal(status, code, { code, ...body });

  it("maps each code to a catalog string and the action it offers", () => {
    const cases: [unknown, boolean, string, string, unknown][] = [
      [new TypeError("fetch failed"), true, "error_network", "retry", ""],
      [new TypeError("fetch failed"), false, "error_unavailable", "retry", ""],
      [
        refusal(429, "cap_reached", { cap: "messages_per_conversation", limit: 20 }),
        true,
        "cap_messages_per_conversation",
        "new",
        20,
      ],
      [
        refusal(429, "cap_reached", { cap: "messages_per_day", limit: 50 }),
        true,
        "cap_messages_per_day",
        "null",
        50,
      ],
      [refusal(402, "budget_exceeded"), true, "budget", "null", ""],
      [refusal(429, "rate_limited"), true, "rate_limited", "retry", ""],
      [refusal(401, "visitor_token_invalid", { reason: "expired" }), true, "error_token_expired", "null", ""],
      [refusal(401, "visitor_token_invalid", { reason: "missing" }), true, "error_signin", "null", ""],
      [refusal(403, "origin_not_allowed"), true, "error_unavailable", "null", ""],
      [refusal(404, "not_found"), true, "error_unavailable", "null", ""],
      [refusal(500, "internal_error"), true, "error_generic", "retry", ""],
    ];
    for (const [err, loaded, key, action, limit] of cases) {
      const m = refusalMessage(err, loaded);
      expect({ key: m.key, action: String(m.action), limit: m.limit }).toEqual({ key, action, limit });
      // Every key the mapping can produce exists in the catalog (English is the reference).
      expect(en[m.key as keyof typeof en], m.key).toBeTruthy();
    }
  });
});
