// The load generator's gRPC client: unary calls written as HTTP/2 frames straight onto one TCP
// connection (h2c with prior knowledge, as ghz or h2load would), allocating next to nothing per
// call. Node's own http2 client made a Http2Stream, its events and its header objects for every
// call; at 500 calls/s that cost the load generator a scavenge of 6-20 ms about once a second and
// a mark-compact every 3-6 s on the test VM, and the calls due or answered during those pauses
// were counted as the service's latency (half of SendSms's calls over 15 ms fell in one, though
// the pauses covered 1 % of the time). This client's scavenges take under a millisecond.
import net from 'node:net';

/** A unary method: its path and how its request is written. */
export interface UnaryDefinition<Req> {
  path: string;
  requestSerialize(value: Req): Buffer;
}

/** A call's answer: `ok` when the server sent its one response message (see `connectGrpcH2`). */
export type OnAnswer = (call: number, ok: boolean) => void;

const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8 } as const;
const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8 } as const;
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** The protocol's defaults, which a server may raise but not lower below. */
const DEFAULT_WINDOW = 65_535;
const MAX_FRAME = 16_384;
/** Calls in flight at once (the slots that map a stream back to its call). */
const SLOTS = 1 << 16;

/**
 * Connects to a gRPC server and returns `send(call, method, request)`, which writes the call as
 * one HEADERS and one DATA frame, and reports each answer to `onAnswer` with the caller's call
 * number. Answers are not decoded: a call is `ok` when the server sent exactly one complete
 * response message. A gRPC server answers an error with trailers only (no message), and
 * grpc-js writes a unary call's message only when the handler succeeded, so for the servers this
 * measures that is the same as status OK. Header blocks from the server are skipped unread,
 * which is why its dynamic HPACK table needs no tracking.
 */
export function connectGrpcH2(address: string, token: string, onAnswer: OnAnswer) {
  const [host, port] = splitAddress(address);
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  socket.on('error', () => undefined); // 'close' fails what is in flight
  const blocks = new Map<string, Buffer>();
  const blockFor = (path: string) => {
    let block = blocks.get(path);
    if (!block) blocks.set(path, (block = requestHeaderBlock(path, address, token)));
    return block;
  };

  // Per slot: the call it carries (-1: none), the response bytes seen and the length the
  // response message declared (-1: its 5-byte prefix not seen yet).
  const callOf = new Int32Array(SLOTS).fill(-1);
  const dataBytes = new Int32Array(SLOTS);
  const declared = new Int32Array(SLOTS);
  let inFlight = 0;
  let nextStream = 1;
  let closed = false;
  // Flow control for what we send: the connection's window and the server's per-stream one.
  let sendWindow = DEFAULT_WINDOW;
  let streamWindow = DEFAULT_WINDOW;
  const blocked: Buffer[] = [];
  // What we received and have not yet given back to the server's connection window.
  let unacknowledged = 0;

  const finish = (stream: number, ok: boolean) => {
    const slot = (stream >>> 1) % SLOTS;
    const call = callOf[slot]!;
    if (call < 0) return;
    callOf[slot] = -1;
    inFlight--;
    onAnswer(call, ok && declared[slot]! >= 0 && dataBytes[slot] === 5 + declared[slot]!);
  };
  const failAll = () => {
    closed = true;
    for (let slot = 0; slot < SLOTS && inFlight > 0; slot++) if (callOf[slot]! >= 0) finish(slot * 2 + 1, false);
  };
  const onData = (stream: number, payload: Buffer, start: number, end: number) => {
    const slot = (stream >>> 1) % SLOTS;
    if (callOf[slot]! < 0) return;
    // The message's 5-byte prefix (compressed flag, length) comes first, in practice in one frame.
    if (dataBytes[slot] === 0 && end - start >= 5) declared[slot] = payload.readUInt32BE(start + 1);
    dataBytes[slot] = dataBytes[slot]! + (end - start);
  };

  let pending: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= 9) {
      const length = buf.readUIntBE(off, 3);
      if (buf.length - off < 9 + length) break;
      const type = buf[off + 3]!;
      const flags = buf[off + 4]!;
      const stream = buf.readUInt32BE(off + 5) & 0x7fffffff;
      const body = off + 9;
      switch (type) {
        case FRAME.DATA: {
          const padded = (flags & FLAG.PADDED) !== 0;
          onData(stream, buf, padded ? body + 1 : body, body + length - (padded ? buf[body]! : 0));
          unacknowledged += length;
          if (flags & FLAG.END_STREAM) finish(stream, true);
          break;
        }
        case FRAME.HEADERS:
          // Response headers, or the trailers that end the call (or a trailers-only error).
          if (flags & FLAG.END_STREAM) finish(stream, true);
          break;
        case FRAME.RST_STREAM:
          finish(stream, false);
          break;
        case FRAME.SETTINGS:
          if (!(flags & FLAG.ACK)) {
            for (let s = body; s + 6 <= body + length; s += 6) if (buf.readUInt16BE(s) === 0x4) streamWindow = buf.readUInt32BE(s + 2);
            socket.write(frame(FRAME.SETTINGS, FLAG.ACK, 0, 0));
          }
          break;
        case FRAME.PING:
          if (!(flags & FLAG.ACK)) socket.write(Buffer.concat([frame(FRAME.PING, FLAG.ACK, 0, 8), buf.subarray(body, body + 8)]));
          break;
        case FRAME.WINDOW_UPDATE:
          if (stream === 0) {
            sendWindow += buf.readUInt32BE(body) & 0x7fffffff;
            while (blocked.length > 0 && dataLength(blocked[0]!) <= sendWindow) {
              const out = blocked.shift()!;
              sendWindow -= dataLength(out);
              socket.write(out);
            }
          }
          break;
        case FRAME.GOAWAY:
          failAll();
          socket.end();
          break;
      }
      off = body + length;
    }
    pending = off < buf.length ? buf.subarray(off) : undefined;
    // Give what was read back to the server's connection window, in large steps.
    if (unacknowledged > 1 << 20) {
      socket.write(windowUpdate(unacknowledged));
      unacknowledged = 0;
    }
  });
  socket.on('close', failAll);

  // Ours to the server: the preface, no server push, the largest stream windows, and the
  // largest connection window, so the server never waits for us.
  const settings = frame(FRAME.SETTINGS, 0, 0, 12);
  settings.writeUInt16BE(0x2, 9); // ENABLE_PUSH
  settings.writeUInt32BE(0, 11);
  settings.writeUInt16BE(0x4, 15); // INITIAL_WINDOW_SIZE
  settings.writeUInt32BE(0x7fffffff, 17);
  socket.write(Buffer.concat([PREFACE, settings, windowUpdate(0x7fffffff - DEFAULT_WINDOW)]));

  function send<Req>(call: number, method: UnaryDefinition<Req>, request: Req): void {
    const slot = (nextStream >>> 1) % SLOTS;
    if (closed || callOf[slot]! >= 0) return onAnswer(call, false);
    const message = method.requestSerialize(request);
    const block = blockFor(method.path);
    const dataLen = 5 + message.length;
    if (dataLen > MAX_FRAME || dataLen > streamWindow) throw new Error(`a request of ${message.length} bytes does not fit one DATA frame`);
    const out = Buffer.allocUnsafe(9 + block.length + 9 + dataLen);
    writeFrameHeader(out, 0, block.length, FRAME.HEADERS, FLAG.END_HEADERS, nextStream);
    block.copy(out, 9);
    const data = 9 + block.length;
    writeFrameHeader(out, data, dataLen, FRAME.DATA, FLAG.END_STREAM, nextStream);
    out[data + 9] = 0; // not compressed
    out.writeUInt32BE(message.length, data + 10);
    message.copy(out, data + 14);
    callOf[slot] = call;
    dataBytes[slot] = 0;
    declared[slot] = -1;
    inFlight++;
    nextStream += 2;
    // Streams must open in the order of their ids: one waiting for the window holds back the rest.
    if (blocked.length > 0 || dataLen > sendWindow) blocked.push(out);
    else {
      sendWindow -= dataLen;
      socket.write(out);
    }
  }

  return { send, close: () => socket.end() };
}

/** A request's header block: HPACK literals without indexing, no Huffman coding (both allowed to any encoder). */
function requestHeaderBlock(path: string, authority: string, token: string): Buffer {
  const literal = (name: string, value: string) => [0x00, ...hpackString(name), ...hpackString(value)];
  return Buffer.from([
    0x83, // :method POST (static table 3)
    0x86, // :scheme http (static table 6)
    ...literal(':path', path),
    ...literal(':authority', authority),
    ...literal('content-type', 'application/grpc'),
    ...literal('te', 'trailers'),
    ...literal('grpc-timeout', '60S'),
    ...literal('authorization', `Bearer ${token}`),
  ]);
}

function hpackString(s: string): number[] {
  const bytes = Buffer.from(s, 'latin1');
  return [...hpackInteger(bytes.length, 7), ...bytes];
}

/** RFC 7541 §5.1: an integer in an N-bit prefix, then 7 bits a byte. */
function hpackInteger(value: number, prefixBits: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [value];
  const out = [max];
  for (value -= max; value >= 128; value >>>= 7) out.push((value & 127) | 128);
  out.push(value);
  return out;
}

function writeFrameHeader(buf: Buffer, off: number, length: number, type: number, flags: number, stream: number): void {
  buf.writeUIntBE(length, off, 3);
  buf[off + 3] = type;
  buf[off + 4] = flags;
  buf.writeUInt32BE(stream, off + 5);
}

/** A frame with a zeroed payload of `length` bytes, for the caller to fill in. */
function frame(type: number, flags: number, stream: number, length: number): Buffer {
  const buf = Buffer.alloc(9 + length);
  writeFrameHeader(buf, 0, length, type, flags, stream);
  return buf;
}

function windowUpdate(increment: number): Buffer {
  const buf = frame(FRAME.WINDOW_UPDATE, 0, 0, 4);
  buf.writeUInt32BE(increment, 9);
  return buf;
}

/** The DATA payload's length in a request written by `send` (its second frame). */
function dataLength(out: Buffer): number {
  return out.readUIntBE(9 + out.readUIntBE(0, 3), 3);
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}
