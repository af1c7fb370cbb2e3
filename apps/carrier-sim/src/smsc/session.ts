import { createHash, timingSafeEqual } from 'node:crypto';
import { coalesceWrites } from '@sabia/smpp';
import smpp from 'smpp';
import { canReceive, type BindKind, type SmscRuntime } from './runtime';
import { handleSubmit } from './submit';

// Never equal to a real password (those are at most 8 characters).
const UNKNOWN_ACCOUNT_PASSWORD = '\u0000unknown-account\u0000';

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
  coalesceWrites(session);

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
    const systemId = typeof pdu['system_id'] === 'string' ? pdu['system_id'] : '';
    const state = runtime.accounts.get(systemId);
    // Compare a password even for an unknown system_id, so both refusals take the same time.
    const passwordOk = sameSecret(pdu['password'], state?.account.password ?? UNKNOWN_ACCOUNT_PASSWORD);
    if (!state || !passwordOk) {
      logger.warn({ peer, systemId, kind }, 'bind refused'); // never the password
      session.send(pdu.response({ command_status: smpp.errors.ESME_RBINDFAIL }));
      return;
    }
    runtime.bindings.set(session, { kind, account: state.account });
    runtime.counts.binds++;
    logger.info({ peer, systemId, kind }, 'esme bound');
    session.send(pdu.response({ system_id: SMSC_SYSTEM_ID }));
    scheduleDrop(state.account.profile.bindDropMeanSeconds);
    if (canReceive(kind)) state.queue.pump(); // receipts may have waited for a receiver
  }

  // A flaky link: the carrier cuts the TCP connection at random (exponential intervals).
  function scheduleDrop(meanSeconds: number | undefined): void {
    if (!meanSeconds) return;
    const delayMs = -Math.log(1 - runtime.random()) * meanSeconds * 1000;
    runtime.later(delayMs, () => {
      if (!session.socket.destroyed) {
        logger.info({ peer }, 'dropping the bind (profile bindDropMeanSeconds)');
        session.destroy();
      }
    });
  }

  session.on('error', (err: Error) => {
    // The smpp package stops reading after a framing error, so the session is unusable.
    logger.warn({ peer, err: err.message }, 'smpp session error');
    session.destroy();
  });

  session.on('close', () => {
    runtime.bindings.delete(session);
    // Every queue, not just the bound account's: after an unbind the binding is already gone
    // but deliver_sm still in flight on this session must go back to its queue.
    for (const state of runtime.accounts.values()) state.queue.sessionClosed(session);
    logger.info({ peer }, 'esme disconnected');
  });
}
