import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { uuidv7, type Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { sql } from 'drizzle-orm';
import { messages, pooledReservations } from '../db';
import type { ReserveBatchPort } from '../messages/send-batch';
import type { ReleasePort, ReservePort } from '../messages/send-sms';

type ReserveInput = Parameters<ReservePort>[0];
/** What a pooled reservation must match: who pays, and what one part costs (country, carrier). */
export type PoolKey = Pick<ReserveInput, 'accountId' | 'subaccountId' | 'country' | 'carrier'>;

export interface PoolOptions {
  /** Most reservations held per key (0: no pool, every SendSms asks billing). */
  maxSize: number;
  /** A reservation not taken by then is released (it was priced and counted against the quota when made). */
  ttlMs: number;
}

interface Lane {
  key: PoolKey;
  ready: Array<{ id: string; at: number }>;
  /** How many this lane tries to hold: doubles when takes find it empty, halves when reservations expire unused. */
  target: number;
  refilling?: Promise<void>;
  /** The target already grew since the last refill landed. */
  grown?: boolean;
  /** Billing refused a refill (quota or credit): no new one before this time; single sends ask billing themselves. */
  refusedUntil: number;
}

const MIN_TARGET = 8;
/** A crashed process's reservations are released this long after they could last have been taken. */
const LEFTOVER_MARGIN_MS = 5 * 60_000;

/**
 * Single-part reservations made ahead, per account, subaccount, country and carrier, so that a
 * SendSms that passed its checks does not wait on billing: it takes a message id that billing
 * already reserved (one part at the price in force, counted against the month's quota) and the
 * message is stored under that id. Billing's ledger does not change: every message still has its
 * own pending transfer, posted or voided by the carrier's answer, exactly once.
 *
 * A pool fills in the background after a single send to its key was reserved the ordinary way,
 * with one ReserveBatch, and grows with demand. What it holds is released after `ttlMs` (so a new
 * price or a new month is in force within that time), at shutdown, and, after a crash, by the
 * leftover sweep: ids are written to pooled_reservations before billing reserves them, and one no
 * message took is released. Credit held here is never what refuses a send: when billing refuses
 * a send for quota or credit and this account holds pooled reservations, they are released and
 * the reservation is tried once more.
 */
export class ReservationPool {
  private readonly lanes = new Map<string, Lane>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly deps: { db: Db; reserve: ReservePort; reserveBatch: ReserveBatchPort; release: ReleasePort; logger: Logger },
    private readonly opts: PoolOptions,
  ) {}

  /** Starts the expiry and leftover sweeps (not needed for take/reserve, so tests may drive them by hand). */
  start(): this {
    const every = (ms: number, run: () => Promise<unknown>) => {
      const timer = setInterval(() => void run().catch((err) => this.deps.logger.warn({ err }, 'reservation pool sweep failed; next round retries')), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.max(250, this.opts.ttlMs / 4), () => this.releaseExpired());
    every(60_000, () => this.releaseLeftovers());
    void this.releaseLeftovers().catch((err) => this.deps.logger.warn({ err }, 'reservation pool leftover sweep failed'));
    return this;
  }

  /** A reserved message id for a one-part message of this key, or undefined (then ask billing). */
  take(key: PoolKey, parts: number): string | undefined {
    if (parts !== 1 || this.opts.maxSize === 0) return undefined;
    const lane = this.lanes.get(keyOf(key));
    if (!lane) return undefined;
    const fresh = Date.now() - this.opts.ttlMs;
    let stale = 0;
    while (stale < lane.ready.length && lane.ready[stale]!.at < fresh) stale++;
    // Out of the caller's way: it goes on (with billing, if nothing fresh is left) while these are given back.
    if (stale > 0) void this.releaseIds(this.expire(lane, stale)).catch((err) => this.deps.logger.warn({ err }, 'releasing expired pooled reservations failed; the leftover sweep retries'));
    const taken = lane.ready.shift();
    // Found empty: it should hold more (once per refill, however many calls found it empty meanwhile).
    if (!taken && !lane.grown) {
      lane.target = Math.min(this.opts.maxSize, lane.target * 2);
      lane.grown = true;
    }
    if (lane.ready.length < lane.target / 2) this.refill(lane);
    return taken?.id;
  }

  /**
   * Billing's reservation for a send the pool could not serve. A refusal while this account
   * holds pooled reservations releases them and asks once more; a success starts the key's pool.
   */
  readonly reserve: ReservePort = async (input) => {
    let answer = await this.deps.reserve(input);
    if (answer !== 'reserved' && (await this.releaseAccount(input.accountId)) > 0) answer = await this.deps.reserve(input);
    if (answer === 'reserved' && input.parts === 1 && this.opts.maxSize > 0 && !this.stopped) {
      const id = keyOf(input);
      let lane = this.lanes.get(id);
      if (!lane) {
        lane = { key: { accountId: input.accountId, subaccountId: input.subaccountId, country: input.country, carrier: input.carrier }, ready: [], target: MIN_TARGET, refusedUntil: 0 };
        this.lanes.set(id, lane);
      }
      this.refill(lane);
    }
    return answer;
  };

  /** Releases everything held (shutdown: billing gets the credit and quota back at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.lanes.values()].map((lane) => lane.refilling));
    await this.releaseIds([...this.lanes.values()].flatMap((lane) => lane.ready.splice(0).map((r) => r.id)));
  }

  /** Reservations held now, per key (tests, diagnostics). */
  held(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.ready.length;
    return n;
  }

  /** Releases what has been held longer than the TTL. */
  async releaseExpired(): Promise<number> {
    const fresh = Date.now() - this.opts.ttlMs;
    const ids: string[] = [];
    for (const [key, lane] of this.lanes) {
      let n = 0;
      while (n < lane.ready.length && lane.ready[n]!.at < fresh) n++;
      if (n > 0) ids.push(...this.expire(lane, n));
      // A key nobody sends to any more is forgotten; its next single send starts it again.
      if (lane.ready.length === 0 && !lane.refilling && lane.target === MIN_TARGET) this.lanes.delete(key);
    }
    await this.releaseIds(ids);
    return ids.length;
  }

  /**
   * After a crash: pooled ids old enough that no process can still hand them out. The ones no
   * message took are released in billing; every such row is then deleted.
   */
  async releaseLeftovers(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.opts.ttlMs - LEFTOVER_MARGIN_MS).toISOString();
    const rows = await this.deps.db.execute<{ id: string; taken: boolean }>(sql`
      select r.id::text, exists(select 1 from ${messages} m where m.id = r.id) as taken
      from ${pooledReservations} r where r.created_at < ${cutoff}::timestamptz order by r.created_at limit 5000`);
    if (rows.rows.length === 0) return 0;
    const untaken = rows.rows.filter((r) => !r.taken).map((r) => r.id);
    if (untaken.length > 0) await this.deps.release(untaken);
    await this.forget(rows.rows.map((r) => r.id));
    return untaken.length;
  }

  /** Takes the first n (stale) reservations out of a lane, which held more than it needed. */
  private expire(lane: Lane, n: number): string[] {
    lane.target = Math.max(MIN_TARGET, Math.floor(lane.target / 2));
    return lane.ready.splice(0, n).map((r) => r.id);
  }

  private async releaseAccount(accountId: string): Promise<number> {
    const lanes = [...this.lanes.values()].filter((lane) => lane.key.accountId === accountId);
    if (lanes.length === 0) return 0;
    // A refill on its way could take the credit back: wait for it, then give everything back.
    await Promise.all(lanes.map((lane) => lane.refilling));
    const ids = lanes.flatMap((lane) => lane.ready.splice(0).map((r) => r.id));
    for (const lane of lanes) lane.refusedUntil = Date.now() + this.opts.ttlMs;
    await this.releaseIds(ids);
    return ids.length;
  }

  private refill(lane: Lane): void {
    if (lane.refilling || this.stopped || Date.now() < lane.refusedUntil) return;
    const wanted = lane.target - lane.ready.length;
    if (wanted <= 0) return;
    // Its own trace: a refill belongs to no caller's request.
    lane.refilling = context
      .with(ROOT_CONTEXT, () => this.reserveAhead(lane, wanted))
      .catch((err) => {
        lane.refusedUntil = Date.now() + 1_000;
        this.deps.logger.warn({ err, accountId: lane.key.accountId }, 'pooled reservation refill failed; single sends ask billing meanwhile');
      })
      .finally(() => {
        lane.refilling = undefined;
        lane.grown = false;
        // Takes went on while it was on its way: top up again at once if they used most of it.
        if (lane.ready.length < lane.target / 2) this.refill(lane);
      });
  }

  private async reserveAhead(lane: Lane, wanted: number): Promise<void> {
    const { accountId, subaccountId, country, carrier } = lane.key;
    const ids = Array.from({ length: wanted }, () => uuidv7());
    // Written before billing is asked: a crash in between leaves rows the leftover sweep releases.
    await this.deps.db.insert(pooledReservations).values(ids.map((id) => ({ id, accountId })));
    const outcomes = await this.deps.reserveBatch({ accountId, subaccountId, items: ids.map((messageId) => ({ messageId, parts: 1, country, carrier })) });
    const at = Date.now();
    const refused = ids.filter((_, i) => outcomes[i] !== 'reserved');
    if (refused.length > 0) {
      lane.refusedUntil = at + this.opts.ttlMs;
      await this.forget(refused);
    }
    const reserved = ids.filter((_, i) => outcomes[i] === 'reserved');
    if (this.stopped) await this.releaseIds(reserved);
    else lane.ready.push(...reserved.map((id) => ({ id, at })));
  }

  private async releaseIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.deps.release(ids);
    await this.forget(ids);
  }

  private async forget(ids: string[]): Promise<void> {
    await this.deps.db.execute(sql`delete from ${pooledReservations} where id = any(${sql.param(ids)}::uuid[])`);
  }
}

function keyOf(key: PoolKey): string {
  return `${key.accountId}\u0000${key.subaccountId}\u0000${key.country}\u0000${key.carrier}`;
}
