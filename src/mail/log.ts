import type { Logger } from "../context.js";
import type { Mailer } from "./types.js";

/**
 * The embedded default without SMTP: nothing is sent, each mail's link is printed so a single-machine
 * install can still verify addresses, reset passwords and accept invitations. The link carries a
 * one-time token, which the JSON log scrubs like every secret (logger.ts); printing it is this
 * mailer's whole job, so it goes to the console directly, as the start-up banner prints the admin key.
 * The log keeps a scrubbed record that a mail was not sent.
 */
export function createLogMailer(
  logger: Logger,
  print: (line: string) => void = (line) => process.stderr.write(line),
): Mailer {
  return {
    kind: "log",
    async send(m) {
      logger.warn(
        { mail: { to: m.to, subject: m.subject } },
        "SMTP_URL is not set, so an e-mail was not sent",
      );
      print(
        `E-mail not sent (SMTP_URL is not set) to ${m.to}: "${m.subject}". Open the link instead: ${m.link ?? "(no link)"}\n`,
      );
    },
  };
}
