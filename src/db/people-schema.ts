import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { created, ts } from "./columns.js";
import { apiKeys, tenants } from "./tenancy-schema.js";

/** People: accounts, organizations, sessions, SSO (issue 12). */
/** A person. `email` is stored normalized (trimmed, lowercased), so uniqueness is case-insensitive. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    /** `scrypt$logN$r$p$salt$hash`; null for people who only ever signed in through SSO. */
    passwordHash: text("password_hash"),
    emailVerifiedAt: ts("email_verified_at"),
    locale: text("locale").notNull().default("en"),
    platformAdmin: boolean("platform_admin").notNull().default(false),
    suspendedAt: ts("suspended_at"),
    /** Base32 TOTP secret; set at enrolment, active once totpEnabledAt is set. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: ts("totp_enabled_at"),
    /** Last accepted TOTP time step, so a code cannot be replayed inside its window. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    createdAt: created(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);

/** Membership of a person in an organization (a tenant) with one role. */
export const orgMembers = pgTable(
  "org_members",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** owner | admin | developer | viewer | billing (src/auth/roles.ts) */
    role: text("role").notNull(),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index("org_members_user_idx").on(t.userId)],
);

/** Browser sessions: the cookie holds an opaque token, only its sha256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The organization the session acts in (switchable); null when the person belongs to none. */
    tenantId: text("tenant_id"),
    /** Sent back in the X-CSRF-Token header on unsafe requests authenticated by this cookie. */
    csrfToken: text("csrf_token").notNull(),
    /** password | sso | invitation | reset */
    method: text("method").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: created(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("sessions_token_idx").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

/** One-time tokens (email verification, password reset, email change, second factor, OIDC state). */
export const authTokens = pgTable(
  "auth_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    /** verify_email | reset_password | change_email | mfa | oidc_state */
    purpose: text("purpose").notNull(),
    userId: text("user_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: created(),
  },
  (t) => [index("auth_tokens_user_idx").on(t.userId, t.purpose)],
);

/** One-time recovery codes for a person with TOTP; only hashes are stored. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    usedAt: ts("used_at"),
    createdAt: created(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by"),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    revokedAt: ts("revoked_at"),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("invitations_token_idx").on(t.tokenHash),
    index("invitations_tenant_idx").on(t.tenantId),
  ],
);

/** Failed sign-ins per account (normalized email, existing or not) and per client address. */
export const loginThrottles = pgTable("login_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: ts("locked_until"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Which member created an API key: the key's rights are capped by that member's role at every request. */
export const keyCreators = pgTable("key_creators", {
  keyId: text("key_id")
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: "cascade" }),
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
});

/** Organizations suspended by the platform administrator (a separate table keeps `tenants` unchanged). */
export const tenantSuspensions = pgTable("tenant_suspensions", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  reason: text("reason").notNull().default(""),
  createdAt: created(),
});

/** OpenID Connect single sign-on settings of one organization. */
export const ssoConfigs = pgTable("sso_configs", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecret: text("client_secret").notNull(),
  allowedDomains: text("allowed_domains").array().notNull(),
  defaultRole: text("default_role").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
