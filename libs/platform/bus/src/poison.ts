/** Thrown by a handler for a message that can never succeed (undecodable, impossible). */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}
