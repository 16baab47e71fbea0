import type { OpenAPIHono } from "@hono/zod-openapi";
import { and, count, eq, gte, sql } from "drizzle-orm";
import type { AppDeps, AppEnv } from "../../context.js";
import { usageLedger } from "../../db/schema.js";
import ar from "../../i18n/locales/ar/status.json" with { type: "json" };
import de from "../../i18n/locales/de/status.json" with { type: "json" };
import en from "../../i18n/locales/en/status.json" with { type: "json" };
import es from "../../i18n/locales/es/status.json" with { type: "json" };
import fr from "../../i18n/locales/fr/status.json" with { type: "json" };
import ja from "../../i18n/locales/ja/status.json" with { type: "json" };
import ko from "../../i18n/locales/ko/status.json" with { type: "json" };
import ptBR from "../../i18n/locales/pt-BR/status.json" with { type: "json" };
import ru from "../../i18n/locales/ru/status.json" with { type: "json" };
import zhCN from "../../i18n/locales/zh-CN/status.json" with { type: "json" };
import zhTW from "../../i18n/locales/zh-TW/status.json" with { type: "json" };
import { type Locale, matchLocale, RTL_LOCALES } from "../../i18n/locales.js";
import { fill } from "../../i18n/translate.js";
import { API_VERSION } from "../../version.js";
import { probe } from "./probe.js";

/** The status namespace of the one catalog; the catalog test guarantees every locale has every key. */
const CATALOG: Record<Locale, typeof en> = {
  en,
  "zh-CN": zhCN,
  "zh-TW": zhTW,
  ja,
  ko,
  es,
  fr,
  de,
  "pt-BR": ptBR,
  ru,
  ar,
};

export interface ComponentStatus {
  name: string;
  up: boolean;
  detail?: string;
}

/**
 * The health of each component: what /readyz checks (database, vector engine, Redis when configured)
 * plus the models, judged by the ledger's last 15 minutes (down when most calls failed). Only names and
 * counts: no URLs, hosts or keys, since the page is public.
 */
async function components(deps: AppDeps, t: typeof en): Promise<ComponentStatus[]> {
  const checks = await Promise.all(
    deps.readiness.map(async (r) => ({ name: r.name, up: await probe(r.check) })),
  );
  const database = checks.find((c) => c.name === "database");
  let models: ComponentStatus = { name: "models", up: true, detail: t.models_idle };
  if (database?.up) {
    const since = new Date(Date.now() - 15 * 60_000);
    const [row] = await deps.database.db
      .select({
        calls: count(),
        failed: sql<number>`count(*) filter (where ${usageLedger.status} = 'failed')`,
      })
      .from(usageLedger)
      .where(and(eq(usageLedger.kind, "chat"), gte(usageLedger.createdAt, since)))
      .catch(() => [undefined]);
    const calls = Number(row?.calls ?? 0);
    const failed = Number(row?.failed ?? 0);
    if (calls > 0)
      models = { name: "models", up: failed * 2 <= calls, detail: fill(t.models_detail, { calls, failed }) };
  }
  return [...checks, models];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function statusPage(locale: Locale, list: ComponentStatus[], now: Date): string {
  const t = CATALOG[locale];
  const names = t.components as Record<string, string>;
  const allUp = list.every((c) => c.up);
  const rows = list
    .map(
      (c) =>
        `      <tr class="${c.up ? "up" : "down"}" data-component="${escapeHtml(c.name)}"><th scope="row">${escapeHtml(names[c.name] ?? c.name)}</th><td>${escapeHtml(c.up ? t.up : t.down)}${c.detail ? `<small>${escapeHtml(c.detail)}</small>` : ""}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="${locale}"${RTL_LOCALES.has(locale) ? ' dir="rtl"' : ""}>
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="refresh" content="30" />
    <title>${escapeHtml(t.title)}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
      table { width: 100%; border-collapse: collapse; } th, td { text-align: start; padding: .5rem; border-bottom: 1px solid #ddd; }
      .up td { color: #0a6b2d; } .down td { color: #a11; font-weight: 600; } small { display: block; color: #555; font-weight: 400; }
      .summary { padding: .75rem 1rem; border-radius: .4rem; background: ${allUp ? "#e6f4ea" : "#fde8e8"}; }
    </style>
  </head>
  <body>
    <h1>${escapeHtml(t.title)}</h1>
    <p class="summary" data-overall="${allUp ? "up" : "down"}">${escapeHtml(allUp ? t.all_up : t.degraded)}</p>
    <table>
      <thead><tr><th scope="col">${escapeHtml(t.component)}</th><th scope="col">${escapeHtml(t.state)}</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table>
    <p><small>${escapeHtml(fill(t.checked_at, { time: now.toISOString().slice(0, 19).replace("T", " ") }))} · ${escapeHtml(fill(t.version, { version: API_VERSION }))}</small></p>
  </body>
</html>
`;
}

/** `GET /status`: public, no key; 200 when every component is up, 503 otherwise (for simple uptime probes). */
export function register(app: OpenAPIHono<AppEnv>) {
  app.get("/status", async (c) => {
    const locale = matchLocale(c.req.query("lang") ?? c.req.header("accept-language"));
    const list = await components(c.get("deps"), CATALOG[locale]);
    const html = statusPage(locale, list, new Date());
    return c.html(html, list.every((x) => x.up) ? 200 : 503, { "cache-control": "no-store" });
  });
}
