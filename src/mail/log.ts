import type { Logger } from "../context.js";
import type { Mailer } from "./types.js";

/**
 * The embedded default without SMTP: nothing is sent, each mail's link is written to the log so a
 * single-machine install can still verify addresses, reset passwords and accept invitations.
 */
export function createLogMailer(logger: Logger): Mailer {
  return {
    kind: "log",
    async send(m) {
      logger.warn(
        { mail: { to: m.to, subject: m.subject }, link: m.link },
        `SMTP_URL is not set, so this e-mail was not sent. Open the link instead: ${m.link ?? "(no link)"}`,
      );
    },
  };
}
