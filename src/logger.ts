import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object, so a token or a user's message text
 * can never reach the log at any level by accident.
 */
export const redactPaths = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'storeUrl',
  '*.storeUrl',
  'text',
  '*.text',
  'content',
  '*.content',
];

export function createLogger(
  opts: { level?: string; format?: 'json' | 'pretty'; name?: string } = {},
): Logger {
  const options = {
    name: opts.name ?? 'quorum-reads',
    level: opts.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  if (opts.format === 'pretty') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  }
  // JSON to stderr: stdout belongs to the console adapter and the CLIs.
  return pino(options, pino.destination(2));
}

/** A logger that drops everything: for CLIs that must print nothing but their answer. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Tokens look like this; scrub them from free text (error messages) before it is logged. */
export function scrubSecrets(s: string): string {
  return s
    .replace(/xox[abposr]-[A-Za-z0-9-]+/g, 'xox?-[redacted]')
    .replace(/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]')
    .replace(/[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/g, '[redacted-discord-token]')
    .replace(/(redis|rediss):\/\/[^@\s]*@/g, '$1://[redacted]@');
}
