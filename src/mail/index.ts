import type { AppDeps } from "../context.js";
import { createLogMailer } from "./log.js";
import { createSmtpMailer } from "./smtp.js";
import type { Mailer } from "./types.js";

const defaults = new WeakMap<AppDeps, Mailer>();

/** The configured mailer: deps.mailer, else SMTP from SMTP_URL, else the logging mailer. */
export function mailerFor(deps: AppDeps): Mailer {
  if (deps.mailer) return deps.mailer;
  let mailer = defaults.get(deps);
  if (!mailer) {
    mailer = deps.config.SMTP_URL
      ? createSmtpMailer(deps.config.SMTP_URL, deps.config.MAIL_FROM)
      : createLogMailer(deps.logger);
    defaults.set(deps, mailer);
  }
  return mailer;
}
