/** One outgoing e-mail, already rendered in the recipient's language. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one-time link the mail carries; the log mailer prints it so installs without SMTP still work. */
  link?: string;
}

/** Sends e-mail. SMTP (nodemailer) when SMTP_URL is set, otherwise a mailer that logs each link. */
export interface Mailer {
  readonly kind: "smtp" | "log";
  send(message: MailMessage): Promise<void>;
}
