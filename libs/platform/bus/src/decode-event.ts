import { PoisonMessageError } from './poison';

/**
 * Decodes an event's protobuf payload. Bytes that are not the expected message can never be
 * handled, however often they are redelivered: they go straight to the dead-letter stream.
 */
export function decodeEvent<T>(codec: { decode(data: Uint8Array): T }, data: Uint8Array, name: string): T {
  try {
    return codec.decode(data);
  } catch (err) {
    throw new PoisonMessageError(`undecodable ${name}: ${(err as Error).message}`);
  }
}
