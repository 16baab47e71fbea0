import { describe, expect, it } from "vitest";
import { ROLES } from "../../src/auth/roles.js";
import { invitedPerson } from "../helpers/people.js";
import { type Case, describeMatrix, type World } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";

/** The role matrix for organizations, members, invitations, SSO settings, sessions and the platform. */
let n = 0;
const cases = (w: World): Case[] => {
  const freshMember = async () => {
    const p = await invitedPerson(w.t, w.mailer, w.owner, w.A.org, `fresh-${n++}@example.com`, "viewer");
    return { key: p.userId };
  };
  // The platform's own calls act on organizations of their own, never on the matrix's A (the security
  // cases make them with the platform key; no role of the matrix may).
  const freshOrg = async () => {
    const r = await w.t.call("POST", "/v1/tenants", { body: { name: `fresh ${n++}` } });
    if (r.status !== 201) throw new Error(`tenant ${r.status} ${JSON.stringify(r.body)}`);
    return { org: r.body.tenant.id as string };
  };
  return [
    {
      method: "POST",
      path: () => "/v1/tenants",
      need: "platform",
      body: () => ({ name: "x" }),
      scoped: false,
    },
    { method: "GET", path: () => "/v1/tenants", need: "platform", scoped: false },
    {
      method: "POST",
      path: (i) => `/v1/tenants/${i.org}/keys`,
      need: "platform",
      body: () => ({}),
      scoped: false,
    },
    { method: "GET", path: () => "/v1/platform/organizations", need: "platform", scoped: false },
    {
      method: "POST",
      path: () => "/v1/platform/backup",
      need: "platform",
      scoped: false,
      // This world has no backup capability (deps.backup: the embedded server's); past the rights
      // check the route says so. test/integration/backup-restore.test.ts takes real backups.
      allowedAnswer: "501 not_implemented",
    },
    {
      method: "POST",
      path: (i) => `/v1/platform/organizations/${i.org}/suspend`,
      need: "platform",
      body: () => ({}),
      fresh: freshOrg,
      scoped: false,
    },
    {
      method: "POST",
      path: (i) => `/v1/platform/organizations/${i.org}/restore`,
      need: "platform",
      fresh: async () => {
        const { org } = await freshOrg();
        await w.t.call("POST", `/v1/platform/organizations/${org}/suspend`, { body: {} });
        return { org };
      },
      scoped: false,
    },
    { method: "GET", path: () => "/v1/platform/users", need: "platform", scoped: false },
    {
      method: "PATCH",
      path: (i) => `/v1/platform/users/${i.key}`,
      need: "platform",
      body: () => ({ suspended: true }),
      fresh: freshMember,
      scoped: false,
    },
    { method: "GET", path: () => "/v1/platform/audit", need: "platform", scoped: false },
    // billing administration (issue 16)
    // plugins (issue 19)
    {
      method: "POST",
      path: () => "/v1/platform/plugins",
      need: "platform",
      body: () => ({ folder: "/nonexistent" }),
      scoped: false,
      // Past the rights check the install reads the folder; test/integration/plugins-install.test.ts
      // installs real ones.
      allowedAnswer: "400 validation_failed",
    },
    { method: "GET", path: () => "/v1/platform/plugins", need: "platform", scoped: false },
    {
      method: "POST",
      path: (i) => `/v1/platform/plugins/${i.plugin}/upgrade`,
      need: "platform",
      body: () => ({}),
      scoped: false,
      // This world installs no plugin, so past the rights check the version is not found;
      // test/integration/plugins-install.test.ts upgrades and rolls back real installs.
      allowedAnswer: "404 not_found",
    },
    {
      method: "POST",
      path: (i) => `/v1/platform/plugins/${i.plugin}/rollback`,
      need: "platform",
      scoped: false,
      // This world installs no plugin, so past the rights check the version is not found;
      // test/integration/plugins-install.test.ts upgrades and rolls back real installs.
      allowedAnswer: "404 not_found",
    },
    { method: "GET", path: () => "/v1/platform/plans", need: "platform", scoped: false },
    { method: "GET", path: () => "/v1/platform/balances", need: "platform", scoped: false },
    {
      method: "POST",
      path: () => "/v1/platform/redemption-codes",
      need: "platform",
      body: () => ({ count: 1, amount_usd: "1.00" }),
      scoped: false,
    },
    {
      method: "POST",
      path: (i) => `/v1/platform/organizations/${i.org}/credits`,
      need: "platform",
      body: () => ({ amount_usd: "1.00", reason: "matrix" }),
      scoped: false,
    },
    {
      method: "PUT",
      path: (i) => `/v1/platform/organizations/${i.org}/plan`,
      need: "platform",
      body: () => ({ plan_id: "pro" }),
      scoped: false,
    },
    // One's own organizations and session: a signed-in person's, never an API key's.
    { method: "GET", path: () => "/v1/orgs", need: "member", scoped: false, session: true },
    {
      method: "POST",
      path: () => "/v1/orgs",
      need: "member",
      body: () => ({ name: "side project" }),
      scoped: false,
      session: true,
    },
    { method: "GET", path: (i) => `/v1/orgs/${i.org}/members`, need: "members.read", scoped: true },
    {
      method: "PATCH",
      path: (i) => `/v1/orgs/${i.org}/members/${i.key}`,
      need: "members.manage",
      body: () => ({ role: "developer" }),
      fresh: freshMember,
      scoped: true,
    },
    {
      method: "DELETE",
      path: (i) => `/v1/orgs/${i.org}/members/${i.key}`,
      need: "members.manage",
      fresh: freshMember,
      scoped: true,
    },
    {
      method: "POST",
      path: (i) => `/v1/orgs/${i.org}/invitations`,
      need: "members.manage",
      body: () => ({ email: `inv-${Math.random()}@example.com`, role: "viewer" }),
      scoped: true,
    },
    { method: "GET", path: (i) => `/v1/orgs/${i.org}/invitations`, need: "members.manage", scoped: true },
    {
      method: "DELETE",
      path: (i) => `/v1/orgs/${i.org}/invitations/${i.key}`,
      need: "members.manage",
      fresh: async () => ({
        key: (
          await w.owner.call("POST", `/v1/orgs/${w.A.org}/invitations`, {
            body: { email: `w-${Math.random()}@example.com`, role: "viewer" },
          })
        ).body.id,
      }),
      scoped: true,
    },
    { method: "GET", path: (i) => `/v1/orgs/${i.org}/sso`, need: "sso.manage", scoped: true },
    {
      method: "PUT",
      path: (i) => `/v1/orgs/${i.org}/sso`,
      need: "sso.manage",
      body: () => ({
        issuer: "https://id.example.com",
        client_id: "c",
        client_secret: "s",
        allowed_domains: ["example.com"],
        default_role: "viewer",
      }),
      scoped: true,
    },
    { method: "DELETE", path: (i) => `/v1/orgs/${i.org}/sso`, need: "sso.manage", scoped: true },
    { method: "GET", path: () => "/v1/auth/session", need: "member", scoped: false, session: true },
    { method: "GET", path: () => "/v1/auth/sessions", need: "member", scoped: false, session: true },
  ];
};

describe("role-by-route matrix: organizations, members, sessions, platform", () => {
  const w = describeMatrix("people", cases);
  describeRouteSecurity("people", w, cases(w));

  it("the people in the matrix hold the roles it assumes", async () => {
    const members = (await w.owner.call("GET", `/v1/orgs/${w.A.org}/members`)).body.data;
    for (const role of ROLES)
      expect(members.find((m: { user_id: string }) => m.user_id === w.userIds[role]).role).toBe(role);
  });
});
