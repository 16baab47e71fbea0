import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { OIDC_CLIENT as CLIENT, startOidcProvider, stopOidcProvider } from "../helpers/oidc-provider.js";
import { type Browser, browser, memoryMailer, signedUpPerson } from "../helpers/people.js";

/**
 * OpenID Connect sign-in against a real OpenID provider (the `oidc-provider` package) started on a
 * loopback port, with its development login and consent pages driven over HTTP like a browser would.
 */
const PUBLIC_URL = "http://hub.test";

/** Follows the provider's redirects and fills its login and consent forms, as a browser would. */
async function throughProvider(start: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  let method = "GET";
  let body: string | undefined;
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, {
      method,
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(PUBLIC_URL)) return next;
      url = next.href;
      method = "GET";
      body = undefined;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`provider page without a form (${res.status}): ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? "";
    url = new URL(action.replaceAll("&amp;", "&"), url).href;
    method = "POST";
    body = new URLSearchParams(
      prompt === "login" ? { prompt, login, password: "any" } : { prompt },
    ).toString();
  }
  throw new Error("the provider never redirected back");
}

describe("OIDC single sign-on against a local OpenID provider", () => {
  let db: TestDatabase;
  let t: TestApp;
  let issuer = "";
  let server: Server;
  let owner: Browser;
  let orgId = "";
  const mailer = memoryMailer();

  beforeAll(async () => {
    ({ issuer, server } = await startOidcProvider(`${PUBLIC_URL}/v1/auth/sso/callback`));
    db = await openTestDatabase("pglite");
    t = await createTestApp(db, { mailer }, { PUBLIC_URL, PASSWORD_SCRYPT_LOG_N: "12" });
    const a = await signedUpPerson(t, mailer, "owner@corp.example", { organization_name: "Corp" });
    owner = a.browser;
    orgId = a.orgId;
  }, 120_000);
  afterAll(async () => {
    await stopOidcProvider(server);
    await db.cleanup();
  });

  it("before any organization configures SSO the sign-in options say so, and discovery finds nothing", async () => {
    const o = await t.app.request("/v1/auth/options");
    expect(o.status).toBe(200);
    expect(await o.json()).toEqual({ sign_up: "open", sso: false });
    const d = await browser(t.app).call("POST", "/v1/auth/sso/discover", {
      body: { email: "sam@corp.example" },
    });
    expect(d.status).toBe(404);
  });

  it("an owner configures SSO; the secret is write-only", async () => {
    const put = await owner.call("PUT", `/v1/orgs/${orgId}/sso`, {
      body: { issuer, ...CLIENT, allowed_domains: ["corp.example"], default_role: "developer" },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      configured: true,
      client_secret_set: true,
      redirect_uri: `${PUBLIC_URL}/v1/auth/sso/callback`,
    });
    expect(JSON.stringify(put.body)).not.toContain(CLIENT.client_secret);
    const owners = await owner.call("PUT", `/v1/orgs/${orgId}/sso`, {
      body: { issuer, client_id: "x", allowed_domains: ["corp.example"], default_role: "owner" },
    });
    expect(owners.body.errors[0].field).toBe("default_role");
  });

  it("a new person signs in through the provider, gets an account with the default role and a session", async () => {
    const start = await t.app.request(`/v1/auth/sso/${orgId}/start`);
    expect(start.status).toBe(302);
    const back = await throughProvider(start.headers.get("location")!, "sam@corp.example");
    expect(back.searchParams.get("code")).toBeTruthy();
    const cb = await t.app.request(`${back.pathname}${back.search}`);
    expect(cb.status).toBe(302);
    const cookie = cb.headers.get("set-cookie")!.split(";")[0]!;
    const sam = browser(t.app);
    sam.cookie = cookie;
    const session = await sam.call("GET", "/v1/auth/session");
    expect(session.body.user).toMatchObject({ email: "sam@corp.example", email_verified: true });
    expect(session.body.organization).toMatchObject({ id: orgId, role: "developer" });
    expect((await sam.call("GET", "/v1/knowledge-bases")).status).toBe(200);
    // The state is one-time: replaying the provider's answer is refused.
    expect((await t.app.request(`${back.pathname}${back.search}`)).status).toBe(410);
    const audit = await owner.call("GET", "/v1/audit?limit=50");
    const actions = audit.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["auth.sso_sign_in", "member.join_sso", "sso.update"]));
  });

  it("the sign-in page learns SSO exists and finds the organization from an email's domain only", async () => {
    expect(await (await t.app.request("/v1/auth/options")).json()).toEqual({ sign_up: "open", sso: true });
    const anon = browser(t.app);
    const found = await anon.call("POST", "/v1/auth/sso/discover", { body: { email: "Kim@Corp.Example" } });
    expect(found.status).toBe(200);
    const url = new URL(found.body.sign_in_url, PUBLIC_URL);
    expect(url.pathname).toBe(`/v1/auth/sso/${orgId}/start`);
    expect(url.searchParams.get("login_hint")).toBe("Kim@Corp.Example");
    // The discovered address really starts the flow at the provider.
    const start = await t.app.request(`${url.pathname}${url.search}`);
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toContain(issuer);
    const other = await anon.call("POST", "/v1/auth/sso/discover", {
      body: { email: "eve@elsewhere.example" },
    });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(orgId);
  });

  it("refuses emails outside the allowed domains", async () => {
    const start = await t.app.request(`/v1/auth/sso/${orgId}/start`);
    const back = await throughProvider(start.headers.get("location")!, "eve@elsewhere.example");
    const cb = await t.app.request(`${back.pathname}${back.search}`);
    expect(cb.status).toBe(403);
    expect(((await cb.json()) as { detail: string }).detail).toMatch(/elsewhere\.example/);
  });

  it("an organization without SSO answers 404", async () => {
    expect((await t.app.request("/v1/auth/sso/ten_nope/start")).status).toBe(404);
  });
});
