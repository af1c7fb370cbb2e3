/**
 * Subjects are `sabia.<domain>.<event>.v1`. A namespace (empty in production) prefixes
 * subjects and stream names so that parallel test runs can share one NATS server.
 */
export interface BusNames {
  namespace: string;
  subject(name: string): string;
  stream(domain: string): string;
  durable(name: string): string;
}

export function busNames(namespace = ''): BusNames {
  const ns = namespace.trim();
  return {
    namespace: ns,
    subject: (name) => (ns ? `${ns}.${name}` : name),
    stream: (domain) => `${ns ? `${ns}_` : ''}SABIA_${domain.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
    durable: (name) => (ns ? `${ns}_${name}` : name),
  };
}

/** Every event subject, so producers and consumers cannot drift apart on a string. */
export const SUBJECTS = {
  messageAccepted: 'sabia.sending.message-accepted.v1',
  messageSent: 'sabia.sending.message-sent.v1',
  receiptReceived: 'sabia.sending.receipt-received.v1',
  replyReceived: 'sabia.sending.reply-received.v1',
  statusChanged: 'sabia.status.status-changed.v1',
  incidentWindowDeclared: 'sabia.incident.window-declared.v1',
} as const;

/** One stream per domain that publishes; the dead-letter stream keeps what could not be handled. */
export const DOMAINS = ['sending', 'status', 'billing', 'ticketing', 'incident', 'dlq'] as const;
export type Domain = (typeof DOMAINS)[number];
