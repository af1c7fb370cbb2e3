import { createHash, timingSafeEqual } from 'node:crypto';
import smpp from 'smpp';
import { canReceive, type BindKind, type SmscRuntime } from './runtime';
import { handleSubmit } from './submit';

/** What the SMSC calls itself in bind responses. */
const SMSC_SYSTEM_ID = 'SABIA-SIM';

const BIND_COMMANDS: Record<string, BindKind> = {
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
  bind_transceiver: 'transceiver',
};

// Compare digests so the time taken says nothing about how much of a secret matched.
function sameSecret(given: unknown, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(expected));
}

/** Wires one accepted ESME connection to the SMSC. */
export function handleSession(session: smpp.Session, runtime: SmscRuntime): void {
  const { logger } = runtime.options;
  const peer = `${session.socket.remoteAddress}:${session.socket.remotePort}`;
  // DESIGN §8: with Nagle on, windowed submit/resp traffic stalls on delayed ACKs.
  session.socket.setNoDelay(true);

  session.on('pdu', (pdu: smpp.Pdu) => {
    if (pdu.isResponse()) return; // matched to our deliver_sm by the smpp package's callbacks
    const bindKind = BIND_COMMANDS[pdu.command];
    if (bindKind) return bind(bindKind, pdu);
    switch (pdu.command) {
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        runtime.bindings.delete(session);
        session.send(pdu.response(), () => session.close());
        return;
      case 'submit_sm':
        handleSubmit(session, pdu, runtime);
        return;
      default:
        // Unknown ids become generic_nack; known but unsupported commands get their own _resp.
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }));
    }
  });

  function bind(kind: BindKind, pdu: smpp.Pdu): void {
    if (runtime.bindings.has(session)) {
      session.send(pdu.response({ command_status: smpp.errors.ESME_RALYBND }));
      return;
    }
    const { systemId, password } = runtime.options;
    // Evaluate both so a wrong system_id and a wrong password take the same time.
    const idOk = sameSecret(pdu['system_id'], systemId);
    const passwordOk = sameSecret(pdu['password'], password);
    if (!idOk || !passwordOk) {
      logger.warn({ peer, systemId: pdu['system_id'], kind }, 'bind refused'); // never the password
      session.send(pdu.response({ command_status: smpp.errors.ESME_RBINDFAIL }));
      return;
    }
    runtime.bindings.set(session, kind);
    runtime.counts.binds++;
    logger.info({ peer, systemId, kind }, 'esme bound');
    session.send(pdu.response({ system_id: SMSC_SYSTEM_ID }));
    if (canReceive(kind)) runtime.queue.pump(); // receipts may have waited for a receiver
  }

  session.on('error', (err: Error) => {
    // The smpp package stops reading after a framing error, so the session is unusable.
    logger.warn({ peer, err: err.message }, 'smpp session error');
    session.destroy();
  });

  session.on('close', () => {
    runtime.bindings.delete(session);
    runtime.queue.sessionClosed(session);
    logger.info({ peer }, 'esme disconnected');
  });
}
