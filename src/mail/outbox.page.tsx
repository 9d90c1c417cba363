import type { SessionPrincipal } from "../platform/http/app-env.js";
import { formatWhen, localeName, ReviewShell } from "../review/pages/components.js";

export type OutboxMessage = {
  id: string;
  recapId: string;
  sentAt: Date;
  to: string;
  subject: string;
  locale: string;
  transport: string;
  viewable: boolean;
};

export function OutboxPage(props: {
  session: SessionPrincipal;
  tenantName: string;
  smtp: boolean;
  limit: number;
  messages: OutboxMessage[];
}) {
  return (
    <ReviewShell session={props.session} tenantName={props.tenantName} title="Customer e-mails">
      <h1>Customer e-mails</h1>
      <p className="muted">
        {props.smtp
          ? "Each approval of a recap whose account agreed to e-mail sends its contact the private preview link. These went out over SMTP."
          : "Each approval of a recap whose account agreed to e-mail sends its contact the private preview link. No SMTP server is configured (SMTP_URL), so the messages are kept here instead of being sent."}
      </p>
      {props.messages.length === 0 ? (
        <p>No e-mails yet. Approve a recap of an account with a contact e-mail and consent.</p>
      ) : (
        <div style={{ overflowX: "auto" }}>
          <table>
            <caption>
              {props.messages.length === props.limit ? `The newest ${props.limit}` : `${props.messages.length} sent`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Sent</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Language</th>
                <th scope="col">Recap</th>
              </tr>
            </thead>
            <tbody>
              {props.messages.map((message) => (
                <tr key={message.id}>
                  <td>{formatWhen(message.sentAt)}</td>
                  <td>{message.to}</td>
                  <td>
                    {message.viewable ? (
                      <a href={`/review/outbox/message?id=${message.id}`}>{message.subject}</a>
                    ) : (
                      message.subject
                    )}
                  </td>
                  <td>{localeName(message.locale)}</td>
                  <td>
                    <a href={`/review/recaps/${message.recapId}`}>Open</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ReviewShell>
  );
}
