import type { Mailer } from "./types.js";

/**
 * SMTP through nodemailer; SMTP_URL carries host, port, TLS and credentials (smtp[s]://user:pass@host:port).
 * nodemailer is loaded on first send so runtimes without sockets (the Workers entry) never import it.
 */
export function createSmtpMailer(url: string, from: string): Mailer {
  let transport: Promise<{ sendMail(m: object): Promise<unknown> }> | undefined;
  return {
    kind: "smtp",
    async send(m) {
      transport ??= import("nodemailer").then((mod) => mod.default.createTransport(url));
      await (await transport).sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
  };
}
