import { BinaryWriter } from '@bufbuild/protobuf/wire';

/** A generated message's codec, as far as encoding goes. */
export interface MessageEncoder<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
}

// One writer for every encode in this thread: an encode runs start to finish without yielding,
// so no two ever share it, and finish() hands out a copy of exactly the bytes written. A fresh
// writer per message (the generated default) allocated a 128-byte ArrayBuffer for each, and a
// larger one each time it grew: off the V8 heap, each freed one by one in the scavenger's
// pause (sending made two or three per SendSms that way). The shared one keeps the buffer of
// the largest message it wrote (a SendBatch answer, an event batch: under the 4 MB gRPC limit).
const shared = new BinaryWriter();

/** The message's bytes (the same as `type.encode(message).finish()`), written with the shared writer. */
export function encodeMessage<T>(type: MessageEncoder<T>, message: T): Uint8Array {
  try {
    return type.encode(message, shared).finish();
  } catch (err) {
    // A value the encoder refused left the writer mid-message: start the next one clean.
    shared.finish();
    throw err;
  }
}
