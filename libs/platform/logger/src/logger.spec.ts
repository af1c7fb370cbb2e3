import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeUrl } from './index';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, sink };
}

describe('logger', () => {
  it('never writes secrets, wherever they sit in a log object', () => {
    const { lines, sink } = capture();
    const logger = createLogger('test', 'info', sink);
    logger.info(
      { password: 'p1', smpp: { password: 'p2' }, metadata: { authorization: 'Bearer abc' }, AUTH_JWT_SECRET: 'jwt-secret', token: 't0k' },
      'hello',
    );
    const out = lines.join('');
    expect(out).toContain('"msg":"hello"');
    expect(out).toContain('[redacted]');
    for (const secret of ['p1', 'p2', 'Bearer abc', 'jwt-secret', 't0k']) expect(out).not.toContain(secret);
  });

  it('removes passwords from URLs before they are logged', () => {
    expect(safeUrl('postgres://sabia:hunter2@db:5432/sabia')).toBe('postgres://sabia:***@db:5432/sabia');
    expect(safeUrl('not a url')).toBe('[unparseable url]');
  });
});
