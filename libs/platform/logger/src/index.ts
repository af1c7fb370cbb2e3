import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a log line: anything under these keys is
 * replaced, wherever it sits in the object logged.
 */
const REDACT = [
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'authorization',
  '*.authorization', 'AUTH_JWT_SECRET', '*.AUTH_JWT_SECRET', 'SMPP_PASSWORD', '*.SMPP_PASSWORD',
  'DATABASE_URL', '*.DATABASE_URL', 'headers.authorization', 'metadata.authorization',
];

export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Written synchronously: pino's default writes behind the caller, and a process that exits
  // right after logging could print its last lines out of order ("stopped" before "stopping")
  // or, killed, not at all. Services log little (debug is off in production), so it costs nothing.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}

/** Removes the password from a connection URL so it can be logged. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
