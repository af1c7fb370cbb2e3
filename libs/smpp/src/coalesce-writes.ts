import type smpp from 'smpp';

/**
 * Makes a session's PDUs written in one turn of the event loop leave in one write: a window of
 * submits, or the responses to every PDU of one incoming chunk. The smpp package writes each
 * PDU on its own, and at a thousand PDUs a second each write (and the wake-up of the peer it
 * causes) cost more than building the PDU. Nothing waits longer than the current tick.
 */
export function coalesceWrites(session: smpp.Session): void {
  const send = session.send.bind(session);
  let corked = false;
  session.send = (pdu, onResponse, onSent) => {
    if (!corked && session.socket.writable) {
      corked = true;
      session.socket.cork();
      process.nextTick(() => {
        corked = false;
        session.socket.uncork();
      });
    }
    return send(pdu, onResponse, onSent);
  };
}
