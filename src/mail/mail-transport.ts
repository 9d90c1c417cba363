import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "../config.js";
import type { MailTransportKind } from "./mail.schema.js";

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: string; cid?: string }[];
};

export type SentMail = { transport: MailTransportKind; messageId: string; outboxFile: string | null };

export type MailSender = {
  /** Sends one message for a tenant; `fileStem` names the outbox file when there is no SMTP server. */
  send(tenantId: string, fileStem: string, mail: OutgoingMail): Promise<SentMail>;
  close(): void;
};

/** `<DATA_DIR>/outbox/<tenant id>`: one folder per tenant, so listing one never reads another's mail. */
export const outboxDir = (dataDir: string, tenantId: string) => join(dataDir, "outbox", tenantId);

/**
 * SMTP when SMTP_URL is set; otherwise nodemailer builds the same RFC 5322 message and it is
 * written to the outbox folder as an .eml file, which the demo lists at /review/outbox.
 */
export function createMailSender(config: Pick<Config, "mail" | "dataDir">): MailSender {
  const smtp = config.mail.smtpUrl ? nodemailer.createTransport(config.mail.smtpUrl) : null;
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(tenantId, fileStem, mail) {
      const message = { from: config.mail.from, ...mail };
      if (smtp) {
        const info = await smtp.sendMail(message);
        return { transport: "smtp", messageId: info.messageId, outboxFile: null };
      }
      const built = await builder.sendMail(message);
      const dir = outboxDir(config.dataDir, tenantId);
      await mkdir(dir, { recursive: true });
      const file = `${fileStem}.eml`;
      await writeFile(join(dir, file), built.message as Buffer);
      return { transport: "outbox", messageId: built.messageId, outboxFile: file };
    },
    close() {
      smtp?.close();
      builder.close();
    },
  };
}
