import { randomBytes } from 'node:crypto';
import smpp from 'smpp';
import { TRACE_TLV_TAG } from '@sabia/smpp';
import { MESSAGE_STATE, formatReceipt, wantsReceipt } from './receipt';
import { canTransmit, type AccountState, type ReceiptDelivery, type SmscRuntime, type SubmitRecord } from './runtime';
import type { CarrierProfile } from './types';
import { ATTR, endWithStatus, extractSubmitContext, startSubmitSpan } from './tracing';

// 64 random bits as 16 hex characters: unique in practice, well under the 65-octet message_id
// limit. Drawn from 4 KiB of random bytes at a time: a randomBytes call per submit took 17 µs.
let pool = Buffer.alloc(0);
let used = 0;
const newMessageId = (): string => {
  if (used + 8 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  return pool.toString('hex', used, (used += 8));
};

/** The submitted text as the smpp package decoded it (short_message, or message_payload for long texts). */
function submittedText(pdu: smpp.Pdu): string {
  for (const field of [pdu['short_message'], pdu['message_payload']]) {
    const message = (field as { message?: unknown } | undefined)?.message ?? field;
    if (typeof message === 'string' && message !== '') return message;
    if (Buffer.isBuffer(message) && message.length > 0) return message.toString('latin1');
  }
  return '';
}

const numberField = (pdu: smpp.Pdu, name: string): number => {
  const value = pdu[name];
  return typeof value === 'number' ? value : 0;
};

const ESME_RSUBMITFAIL = 0x45;
const RECENT_SUBMITS = 1_000;

function remember(runtime: SmscRuntime, record: SubmitRecord): void {
  runtime.recentSubmits.push(record);
  if (runtime.recentSubmits.length > RECENT_SUBMITS) runtime.recentSubmits.shift();
}

/** The UDH and text of a submit, as the smpp package decoded them (it splits the UDH off when UDHI is set). */
function partOf(pdu: smpp.Pdu): { udhHex: string; text: string } {
  const field = pdu['short_message'] as { udh?: Buffer[]; message?: unknown } | undefined;
  const ies = Array.isArray(field?.udh) ? Buffer.concat(field.udh) : Buffer.alloc(0);
  const udhHex = ies.length ? Buffer.concat([Buffer.from([ies.length]), ies]).toString('hex') : '';
  return { udhHex, text: submittedText(pdu) };
}

/** Whether this submit goes over the account's per-second cap (a fixed one-second window). */
function overCap(state: AccountState): boolean {
  const cap = state.account.profile.maxSubmitsPerSecond;
  if (!cap) return false;
  const now = Date.now();
  if (now - state.second.startedAt >= 1000) state.second = { startedAt: now, submits: 0 };
  return ++state.second.submits > cap;
}

function receiptDelay(profile: CarrierProfile, random: () => number): number {
  const { receiptDelayMs: min, receiptDelayMaxMs: max } = profile;
  return max && max > min ? min + random() * (max - min) : min;
}

export function handleSubmit(session: smpp.Session, pdu: smpp.Pdu, runtime: SmscRuntime): void {
  const binding = runtime.bindings.get(session);
  if (!binding || !canTransmit(binding.kind)) {
    session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }));
    return;
  }
  const state = runtime.accounts.get(binding.account.systemId)!;
  const { profile } = state.account;
  if (overCap(state)) {
    state.counts.throttled++;
    session.send(pdu.response({ command_status: smpp.errors.ESME_RTHROTTLED }));
    return;
  }
  if (profile.rejectShare && runtime.random() < profile.rejectShare) {
    state.counts.rejected++;
    session.send(pdu.response({ command_status: profile.rejectStatus ?? ESME_RSUBMITFAIL }));
    return;
  }
  const traceContext = extractSubmitContext(pdu[TRACE_TLV_TAG]);
  const span = traceContext && startSubmitSpan(traceContext);
  const messageId = newMessageId();
  const submittedAt = new Date();
  const delivered = runtime.random() < profile.deliveredShare;
  const receipts = profile.sendsReceipts && wantsReceipt(numberField(pdu, 'registered_delivery'), delivered) ? receiptCopies(profile, runtime.random) : 0;
  const queueReceipts = () => {
    for (let i = 0; i < receipts; i++) state.queue.enqueue(receiptFor(pdu, { messageId, submittedAt, delivered, traceContext }));
  };
  // A misbehaving SMSC (seen in the field): the receipt overtakes the submit_sm_resp.
  const early = profile.receiptBeforeResponse === true;
  if (early) queueReceipts();

  runtime.later(early ? Math.max(profile.submitDelayMs, 50) : profile.submitDelayMs, () => {
    span?.setAttribute(ATTR.messageId, messageId);
    const written = session.send(pdu.response({ message_id: messageId }), () => span && endWithStatus(span, 0));
    if (!written) {
      // The ESME left before hearing the id: it will resubmit, so this message never existed.
      if (span) endWithStatus(span, undefined);
      return;
    }
    state.counts.submits++;
    remember(runtime, {
      systemId: state.account.systemId,
      messageId,
      to: String(pdu['destination_addr'] ?? ''),
      esmClass: numberField(pdu, 'esm_class'),
      dataCoding: numberField(pdu, 'data_coding'),
      ...partOf(pdu),
      at: submittedAt.toISOString(),
    });
    if (!early) runtime.later(receiptDelay(profile, runtime.random), queueReceipts);
  });
}

/** One receipt, or two for the profile's share of duplicated receipts. */
function receiptCopies(profile: CarrierProfile, random: () => number): number {
  return profile.duplicateReceiptShare && random() < profile.duplicateReceiptShare ? 2 : 1;
}

function receiptFor(
  pdu: smpp.Pdu,
  m: { messageId: string; submittedAt: Date; delivered: boolean; traceContext: ReceiptDelivery['traceContext'] },
): ReceiptDelivery {
  const { messageId, delivered } = m;
  return {
    kind: 'receipt',
    messageId,
    traceContext: m.traceContext,
    fields: {
      // A receipt travels from the handset back to the sender: addresses swap.
      source_addr_ton: numberField(pdu, 'dest_addr_ton'),
      source_addr_npi: numberField(pdu, 'dest_addr_npi'),
      source_addr: pdu['destination_addr'],
      dest_addr_ton: numberField(pdu, 'source_addr_ton'),
      dest_addr_npi: numberField(pdu, 'source_addr_npi'),
      destination_addr: pdu['source_addr'],
      esm_class: 0x04, // SMSC delivery receipt
      data_coding: 0x00, // SMSC default alphabet, as receipts always are
      // Already bytes: the receipt only holds characters that GSM 03.38 and ASCII encode alike,
      // and handing the smpp package a Buffer skips its slow per-PDU GSM encoder.
      short_message: Buffer.from(
        formatReceipt({ messageId, submittedAt: m.submittedAt, doneAt: new Date(), delivered, text: submittedText(pdu) }),
        'ascii',
      ),
      receipted_message_id: messageId,
      message_state: delivered ? MESSAGE_STATE.DELIVERED : MESSAGE_STATE.UNDELIVERABLE,
    },
  };
}
