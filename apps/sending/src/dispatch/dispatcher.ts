import { context, propagation } from '@opentelemetry/api';
import { decodeEvent, startBatchConsumer, SUBJECTS, type BatchEvent, type BatchResult, type Bus } from '@sabia/bus';
import { sendingEvents } from '@sabia/contracts';
import { eachKey, type Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { splitMessage, type Encoding } from '@sabia/sms-encoding';
import { SENT_STATUS } from '@sabia/status-codes';
import { sql } from 'drizzle-orm';
import { messageParts } from '../db';
import type { MessageRow } from '../messages/message';
import type { Router } from '../routing/router';
import type { CarrierBinds } from '../smpp/carrier-binds';
import type { UnrecordedSubmissions } from '../receipts/unrecorded-submissions';
import { claimMessages } from './claim-message';
import { concatReference } from './concat-reference';
import { recordSubmissions, type FinishedMessage, type PartAnswer } from './record-submissions';
import { submitOutcome } from './submit-outcome';

const MAX_ATTEMPTS = 8;

export interface DispatcherDeps {
  db: Db;
  bus: Bus;
  router: Router;
  binds: CarrierBinds;
  sourceAddr: string;
  logger: Logger;
  /** Told of each answer until its batch is recorded, so receipts for it wait instead of locking. */
  unrecorded?: UnrecordedSubmissions;
}

/** What dispatching one message came to. */
type Dispatched =
  | { kind: 'skip' }
  | { kind: 'done'; parts: PartAnswer[]; finished: FinishedMessage }
  | { kind: 'retry'; parts: PartAnswer[]; error: Error };

/**
 * Submits accepted messages to their carrier, in batches: one statement claims the batch, the
 * messages go out concurrently (each one's parts through one bind, in order: concatenated with
 * a UDH, or "(i/n)" parts for a carrier that cannot concatenate), and one transaction records
 * every answer and every finished message. A refused part stops its message (the rest would
 * arrive incomplete anyway). Cancelled and already answered messages are skipped; a message
 * past its validity ends as 101 without being submitted; transport errors are retried with
 * backoff (answers already recorded are not submitted again), and when the attempts run out
 * the unsent parts end as 102.
 *
 * The window for a duplicate to the handset is a batch: parts submitted but not yet recorded
 * when the process dies are submitted again on redelivery (SMPP has no way to ask).
 */
export function startDispatcher(deps: DispatcherDeps) {
  return startBatchConsumer({
    bus: deps.bus,
    logger: deps.logger,
    maxBatch: 128,
    maxWaitMs: 2,
    concurrency: 6,
    spec: { domain: 'sending', durable: 'sending-dispatcher', subject: SUBJECTS.messageAccepted, maxDeliver: MAX_ATTEMPTS },
    handleBatch: (events) => dispatchBatch(deps, events),
  });
}

async function dispatchBatch(deps: DispatcherDeps, events: BatchEvent[]): Promise<BatchResult[]> {
  const decoded = events.map((e) => {
    try {
      return decodeEvent(sendingEvents.MessageAccepted, e.data, 'MessageAccepted');
    } catch (err) {
      return err as Error;
    }
  });
  const ids = decoded.flatMap((d) => (d instanceof Error ? [] : [d.messageId]));
  const claimed = await claimMessages(deps.db, ids);
  const answered = await answeredParts(deps.db, [...claimed.keys()]);
  let markRecorded!: () => void;
  const recorded = new Promise<void>((resolve) => (markRecorded = resolve));
  const onAnswer = (answer: PartAnswer) => {
    if (answer.carrierMessageId) deps.unrecorded?.track(answer.carrier, answer.carrierMessageId, recorded);
  };
  try {
    const dispatched = await Promise.all(
      events.map((event, i) => {
        const d = decoded[i]!;
        if (d instanceof Error) return d;
        const row = claimed.get(d.messageId);
        if (!row) return { kind: 'skip' } as const; // cancelled, or already answered (a redelivery)
        return context.with(event.traceContext, () => dispatchOne(deps, event, row, answered.get(row.id) ?? new Map(), onAnswer));
      }),
    );

    const parts: PartAnswer[] = [];
    const finished: FinishedMessage[] = [];
    for (const d of dispatched) {
      if (d instanceof Error || d.kind === 'skip') continue;
      parts.push(...d.parts);
      if (d.kind === 'done') finished.push(d.finished);
    }
    await recordSubmissions(deps.db, { parts, finished });
    return dispatched.map((d) => (d instanceof Error ? d : d.kind === 'retry' ? d.error : 'ok'));
  } finally {
    markRecorded();
  }
}

async function dispatchOne(
  deps: DispatcherDeps,
  event: BatchEvent,
  row: MessageRow,
  done: Map<number, number>,
  onAnswer: (answer: PartAnswer) => void,
): Promise<Dispatched> {
  // The carrier chosen at acceptance; if it left the carriers file since, route again.
  const carrier = deps.router.carrier(row.carrier ?? '') ?? deps.router.route(row.to);
  const finish = (unsent: number, totalParts = row.parts, parts: PartAnswer[] = []): Dispatched => ({
    kind: 'done',
    parts,
    finished: { message: row, carrier: carrier?.id ?? row.carrier ?? '', totalParts, unsent, traceContext: event.traceContext },
  });
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return finish(SENT_STATUS.EXPIRED);
  const bind = carrier && deps.binds.bindFor(carrier.id);
  if (!carrier || !bind) {
    deps.logger.error({ messageId: row.id, carrier: row.carrier }, 'no carrier or bind for an accepted message');
    return finish(SENT_STATUS.CARRIER_COMMUNICATION_ERROR);
  }

  const reference = carrier.concatenates && row.parts > 1 ? await concatReference(deps.db, row) : 0;
  const split = splitMessage(row.text, { reference, concatenate: carrier.concatenates, forceEncoding: row.encoding as Encoding });
  const trace = { traceparent: '' };
  propagation.inject(context.active(), trace);
  const answers: PartAnswer[] = [];
  let refused: number | undefined = [...done.values()].find((s) => s !== SENT_STATUS.SENT_SUCCESS);
  try {
    for (const part of split.parts) {
      if (refused !== undefined) break;
      if (done.has(part.index)) continue;
      const result = await bind.submit({
        to: row.to,
        from: deps.sourceAddr,
        shortMessage: part.shortMessage,
        dataCoding: split.dataCoding,
        udh: part.udh !== undefined,
        traceparent: trace.traceparent || undefined,
      });
      const outcome = submitOutcome(result.commandStatus);
      if (outcome.kind === 'retry') throw new Error(`carrier asked to retry: ${outcome.reason}`);
      const answer: PartAnswer = { message: row, part: part.index, carrier: carrier.id, carrierMessageId: result.messageId, sentStatus: outcome.sentStatus, traceContext: event.traceContext };
      answers.push(answer);
      onAnswer(answer);
      if (outcome.sentStatus !== SENT_STATUS.SENT_SUCCESS) refused = outcome.sentStatus;
    }
  } catch (err) {
    if (event.deliveryCount < MAX_ATTEMPTS) return { kind: 'retry', parts: answers, error: err as Error };
    deps.logger.error({ err, messageId: row.id }, 'giving up on submit');
    return finish(SENT_STATUS.CARRIER_COMMUNICATION_ERROR, split.parts.length, answers);
  }
  // Parts after a refused one were never sent: they share its fate.
  return finish(refused ?? SENT_STATUS.SENT_SUCCESS, split.parts.length, answers);
}

async function answeredParts(db: Db, ids: string[]): Promise<Map<string, Map<number, number>>> {
  const byMessage = new Map<string, Map<number, number>>();
  if (ids.length === 0) return byMessage;
  const { rows } = await db.execute<{ messageId: string; part: number; sentStatus: number }>(sql`
    select p.message_id as "messageId", p.part, p.sent_status as "sentStatus"
    from ${eachKey(sql`unnest(${sql.param(ids)}::uuid[]) as k(id)`, sql`select message_id, part, sent_status from ${messageParts} where message_id = k.id`, 'p')}`);
  for (const r of rows) {
    if (!byMessage.has(r.messageId)) byMessage.set(r.messageId, new Map());
    byMessage.get(r.messageId)!.set(r.part, r.sentStatus);
  }
  return byMessage;
}
