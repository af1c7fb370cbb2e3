import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1ResponseReader, MalformedAnswerError } from './http1-response';

/** Feeds `text` to a fresh reader in the given pieces; the answer, and whether end() was needed. */
function read(pieces: string[], ended = false) {
  const reader = new Http1ResponseReader();
  for (const piece of pieces) {
    const answer = reader.push(Buffer.from(piece, 'latin1'));
    if (answer) return answer;
  }
  return ended ? reader.end() : undefined;
}

const splitAt = (text: string, cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => text.slice(from, at[i] ?? text.length)).filter((p) => p.length > 0);
};

describe('reading an HTTP/1.1 answer', () => {
  it.each([
    ['Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', { status: 200, reusable: true }],
    ['no body (204)', 'HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n', { status: 204, reusable: true }],
    ['no body (304)', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', { status: 304, reusable: true }],
    ['an empty body', 'HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n', { status: 500, reusable: true }],
    ['chunks, extensions and trailers', 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n', { status: 201, reusable: true }],
    ['interim answers first', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n', { status: 202, reusable: true }],
    ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', { status: 200, reusable: false }],
    ['HTTP/1.0 without keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', { status: 200, reusable: false }],
    ['HTTP/1.0 with keep-alive', 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok', { status: 200, reusable: true }],
  ])('%s, whole or cut anywhere', (_, text, expected) => {
    expect(read([text])).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
        expect(read(splitAt(text, cuts))).toEqual(expected);
      }),
    );
  });

  it('does not reuse a connection that sent bytes after the answer (the pool drops one that speaks while idle)', () => {
    expect(read(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n'])).toEqual({ status: 200, reusable: false });
  });

  it('reads a body that runs to the end of the connection, and never reuses that connection', () => {
    const reader = new Http1ResponseReader();
    expect(reader.push(Buffer.from('HTTP/1.1 200 OK\r\n\r\nsome text'))).toBeUndefined();
    expect(reader.push(Buffer.from(' and more'))).toBeUndefined();
    expect(reader.end()).toEqual({ status: 200, reusable: false });
  });

  it('stops reading a long body after 4 kB: the status is known, the connection dropped', () => {
    const reader = new Http1ResponseReader();
    expect(reader.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n'))).toBeUndefined();
    expect(reader.push(Buffer.alloc(4096, 'a'))).toBeUndefined();
    expect(reader.push(Buffer.alloc(1, 'a'))).toEqual({ status: 200, reusable: false });
  });

  it('has no answer when the connection ends before it is complete', () => {
    expect(read(['HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'], true)).toBeUndefined();
    expect(read(['HTTP/1.1 200 OK\r\nTransfer-Enc'], true)).toBeUndefined();
    expect(read([], true)).toBeUndefined();
  });

  it.each([
    ['not HTTP', 'SSH-2.0-OpenSSH_9.6\r\n\r\n'],
    ['a status out of range', 'HTTP/1.1 042 Odd\r\n\r\n'],
    ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'],
    ['a length that is no number', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk without its CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX'],
    ['an unknown transfer coding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n'],
    ['a header line without a name', 'HTTP/1.1 200 OK\r\n: nothing\r\n\r\n'],
    ['a protocol switch', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'],
    ['a head that never ends', `HTTP/1.1 200 OK\r\nX-Long: ${'a'.repeat(20_000)}`],
  ])('refuses %s', (_, text) => {
    expect(() => read([text])).toThrow(MalformedAnswerError);
  });
});
