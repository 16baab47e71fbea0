import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * Security headers on every response. Everything this server serves loads from itself (no CDN: the
 * console, /docs and the widget bundle are local), so `'self'` is the rule. Two exceptions, both narrow:
 * styles may be inline (React style attributes, the home page's <style>, Scalar's runtime styles), and
 * the /docs page runs Scalar's inline configuration script. Handlers that set a header themselves keep
 * it: /widget.js is `Cross-Origin-Resource-Policy: cross-origin`, because other sites load it.
 */
const base = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const common: SecureHeadersOptions = {
  overwrite: false,
  xFrameOptions: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
  crossOriginResourcePolicy: "same-origin",
  permissionsPolicy: { camera: false, microphone: false, geolocation: false, payment: false },
};

const everywhere = secureHeaders({ ...common, contentSecurityPolicy: base });
const docs = secureHeaders({
  ...common,
  contentSecurityPolicy: { ...base, scriptSrc: ["'self'", "'unsafe-inline'"] },
});

export const securityHeaders: MiddlewareHandler = (c, next) =>
  c.req.path === "/docs" ? docs(c, next) : everywhere(c, next);
