/** A receiver's answer, as far as a webhook sender cares: its status, and whether the connection can carry the next request. */
export interface Http1Answer {
  status: number;
  reusable: boolean;
}

// Of a body only this much is read: nobody reads a receiver's prose, and a receiver that
// streams megabytes back is not kept busy for it (the connection is dropped instead).
const MAX_BODY_BYTES = 4096;
const MAX_HEAD_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** The answer is not HTTP/1.1 as RFC 9112 writes it: the connection is not reused. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

/**
 * Reads one HTTP/1.1 response from the bytes of a connection, as they come: interim 1xx
 * answers skipped, then the status line and headers, then a body framed by Content-Length,
 * chunked coding or the end of the connection (RFC 9112 §6.3), or none (204, 304). push()
 * returns the answer once complete; end() when the connection ended first.
 */
export class Http1ResponseReader {
  private buffered: Buffer = Buffer.alloc(0);
  private state: State = 'head';
  private status = 0;
  private keepAlive = true;
  private remaining = 0;
  private bodyBytes = 0;

  /** More bytes of the connection; the answer once it is complete. Throws on a malformed one. */
  push(chunk: Buffer): Http1Answer | undefined {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const [state, length] = [this.state, this.buffered.length];
      const answer = this.step();
      if (answer) return answer;
      if (this.state === state && this.buffered.length === length) return undefined; // needs more bytes
    }
  }

  /** The connection ended: the answer when its body ran until the end, else undefined (cut short). */
  end(): Http1Answer | undefined {
    return this.state === 'until-close' ? { status: this.status, reusable: false } : undefined;
  }

  private step(): Http1Answer | undefined {
    switch (this.state) {
      case 'head':
        return this.readHead();
      case 'length':
      case 'chunk-data':
      case 'until-close': {
        const take = this.state === 'until-close' ? this.buffered.length : Math.min(this.remaining, this.buffered.length);
        if (take === 0 && this.state === 'until-close') return undefined;
        this.buffered = this.buffered.subarray(take);
        this.remaining -= take;
        this.bodyBytes += take;
        if (this.bodyBytes > MAX_BODY_BYTES) return this.finish(false);
        if (this.state === 'until-close' || this.remaining > 0) return undefined;
        if (this.state === 'length') return this.finish(true);
        this.state = 'chunk-end';
        return undefined;
      }
      case 'chunk-end': {
        if (this.buffered.length < 2) return undefined;
        if (this.buffered[0] !== 13 || this.buffered[1] !== 10) throw new MalformedAnswerError('a chunk does not end with CRLF');
        this.buffered = this.buffered.subarray(2);
        this.state = 'chunk-size';
        return undefined;
      }
      case 'chunk-size': {
        const line = this.line();
        if (line === undefined) return undefined;
        const size = /^([0-9a-fA-F]{1,8})[ \t]*(;.*)?$/.exec(line);
        if (!size) throw new MalformedAnswerError(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
        this.remaining = parseInt(size[1]!, 16);
        this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
        return undefined;
      }
      case 'trailers': {
        const line = this.line();
        if (line === undefined) return undefined;
        return line === '' ? this.finish(true) : undefined;
      }
      case 'done':
        return undefined;
    }
  }

  /** The next CRLF-terminated line, consumed; undefined until it is all there. */
  private line(): string | undefined {
    return this.takeUntil(CRLF, 'a line');
  }

  /** The bytes up to `delimiter` as text, consumed with it; undefined until they are all there. */
  private takeUntil(delimiter: Buffer, what: string): string | undefined {
    const end = this.buffered.indexOf(delimiter);
    if (end < 0) {
      if (this.buffered.length > MAX_HEAD_BYTES) throw new MalformedAnswerError(`${what} longer than 16 kB`);
      return undefined;
    }
    const text = this.buffered.toString('latin1', 0, end);
    this.buffered = this.buffered.subarray(end + delimiter.length);
    return text;
  }

  private readHead(): Http1Answer | undefined {
    const head = this.takeUntil(HEAD_END, 'a response head');
    if (head === undefined) return undefined;
    const lines = head.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: |$)/.exec(lines[0]!);
    if (!statusLine) throw new MalformedAnswerError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]!.slice(0, 40))}`);
    const status = Number(statusLine[2]);
    if (status === 101) throw new MalformedAnswerError('the receiver switched protocols');
    if (status < 200) return undefined; // 100 Continue, 103 Early Hints: the answer follows
    let length: number | undefined;
    let chunked = false;
    let connection = '';
    for (const header of lines.slice(1)) {
      const colon = header.indexOf(':');
      if (colon <= 0) throw new MalformedAnswerError(`bad header line ${JSON.stringify(header.slice(0, 40))}`);
      const name = header.slice(0, colon).trim().toLowerCase();
      const value = header.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) throw new MalformedAnswerError(`bad content-length ${JSON.stringify(value)}`);
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = value.toLowerCase().split(',').at(-1)!.trim() === 'chunked';
        if (!chunked) throw new MalformedAnswerError(`unsupported transfer-encoding ${JSON.stringify(value)}`);
      } else if (name === 'connection') connection += `,${value.toLowerCase()}`;
    }
    const tokens = connection.split(',').map((t) => t.trim());
    this.keepAlive = statusLine[1] === '1' ? !tokens.includes('close') : tokens.includes('keep-alive');
    this.status = status;
    if (status === 204 || status === 304) return this.finish(true);
    if (chunked) this.state = 'chunk-size';
    else if (length !== undefined) {
      this.remaining = length;
      this.state = 'length';
      if (length === 0) return this.finish(true);
    } else {
      this.state = 'until-close';
      this.keepAlive = false;
    }
    return undefined;
  }

  private finish(complete: boolean): Http1Answer {
    this.state = 'done';
    // Bytes after the answer were never asked for: the connection is not trusted with another request.
    return { status: this.status, reusable: complete && this.keepAlive && this.buffered.length === 0 };
  }
}
