import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { uuidv7, type Db } from '@sabia/db';
import type { Logger } from '@sabia/logger';
import { startSweeper } from '@sabia/runtime';
import { sql } from 'drizzle-orm';
import { messages, pooledReservations } from '../db';
import type { ReserveBatchPort } from '../messages/send-batch';
import type { ReleasePort, ReserveKey, ReservePort, TakeReservedPort } from '../messages/send-sms';
import { nextQuotaMonth } from './quota-month';

export interface PoolOptions {
  /** Most reservations held per key (0: no pool, every SendSms asks billing). */
  maxSize: number;
  /** A reservation not taken by then is released (it was priced and counted against the quota when made). */
  ttlMs: number;
}

interface Lane {
  key: ReserveKey;
  /** Oldest first; each usable until `until` (its TTL, or the end of its quota month if sooner). */
  ready: Array<{ id: string; until: number }>;
  /** How many this lane tries to hold: doubles when takes find it empty, halves when reservations expire unused. */
  target: number;
  refilling?: Promise<void>;
  /** The target already grew since the last refill landed. */
  grown?: boolean;
  /** When the last refill started (ms). */
  lastRefill?: number;
}

/** Per account: every key of an account draws on the same credit and quota. */
interface AccountState {
  /** Billing refused (quota or credit), or the account's credit was given back: no refill before this time. */
  refusedUntil: number;
  /** Giving back everything the account holds here; concurrent refusals wait for the same one. */
  releasing?: Promise<void>;
}

const MIN_TARGET = 8;
/** How often, at most, a busy key's pool should need topping up. */
const REFILL_EVERY_MS = 1_000;
/**
 * Billing is told a pooled id may be taken this much later than the TTL says: the store that
 * follows a take stamps the message's acceptance time, and a slow database can delay it.
 */
const STORE_SLACK_SECONDS = 60;
/** A crashed process's reservations are released this long after they could last have been taken. */
const LEFTOVER_MARGIN = '5 minutes';
/** Ids per Release call: one account's, so a release locks one account row, briefly. */
const RELEASE_CHUNK = 500;

/**
 * Single-part reservations made ahead, per account, subaccount, country and carrier, so that a
 * SendSms that passed its checks does not wait on billing: it takes a message id that billing
 * already reserved (one part at the price in force, counted against the month's quota) and the
 * message is stored under that id. Billing's ledger does not change: every message still has its
 * own pending transfer, posted or voided by the carrier's answer, exactly once. Billing is told
 * how long an id may wait to be taken, so an incident window meeting that span makes it unbillable.
 *
 * A pool fills in the background after a single send to its key was reserved the ordinary way,
 * with one ReserveBatch, and grows with demand. What it holds is released after `ttlMs` or at the
 * end of the São Paulo month it was counted in (so a new price or a new month's quota applies
 * within that time), at shutdown, and, after a crash, by the leftover sweep: ids are written to
 * pooled_reservations before billing reserves them, the store deletes the row of the id it used,
 * and a row left long after its TTL is released. Credit this process holds never refuses a send:
 * when billing refuses a SendSms or part of a SendBatch for quota or credit while this account
 * holds pooled reservations here, they are released and billing is asked once more. (Another
 * replica's pool is not asked: it gives its credit back within the TTL.)
 */
export class ReservationPool {
  private readonly lanes = new Map<string, Lane>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly sweepers: Array<{ stop(): Promise<void> }> = [];
  private stopped = false;

  constructor(
    private readonly deps: { db: Db; reserve: ReservePort; reserveBatch: ReserveBatchPort; release: ReleasePort; logger: Logger },
    private readonly opts: PoolOptions,
  ) {}

  /** Starts the expiry and leftover sweeps (not needed for take/reserve, so tests may drive them by hand). */
  start(): this {
    const onError = (err: unknown) => this.deps.logger.warn({ err }, 'reservation pool sweep failed; next round retries');
    this.sweepers.push(
      startSweeper({ sweep: () => this.releaseExpired(), everyMs: Math.max(250, this.opts.ttlMs / 4), onError }),
      startSweeper({ sweep: () => this.releaseLeftovers(), firstAfterMs: 0, everyMs: 60_000, onError }),
    );
    return this;
  }

  /** A reserved message id for a one-part message of this key, or undefined (then ask billing). */
  readonly take: TakeReservedPort = (key, parts) => {
    // Lanes exist only for keys a one-part send was reserved for, and only when the pool is on.
    const lane = parts === 1 ? this.lanes.get(keyOf(key)) : undefined;
    if (!lane) return undefined;
    const stale = this.staleCount(lane, Date.now());
    // Out of the caller's way: it goes on (with billing, if nothing fresh is left) while these are given back.
    if (stale > 0) void this.releaseIds(lane.key.accountId, this.expire(lane, stale)).catch((err) => this.warnRelease(err));
    const taken = lane.ready.shift();
    // Found empty: it should hold more (once per refill, however many calls found it empty meanwhile).
    if (!taken && !lane.grown) {
      lane.target = Math.min(this.opts.maxSize, lane.target * 2);
      lane.grown = true;
    }
    if (lane.ready.length < lane.target / 2) this.refill(lane);
    return taken?.id;
  };

  /**
   * Billing's reservation for a send the pool could not serve. A refusal while this account
   * holds pooled reservations releases them and asks once more; a success starts the key's pool.
   */
  readonly reserve: ReservePort = async (input) => {
    let answer = await this.deps.reserve(input);
    if (answer !== 'reserved' && (await this.releaseAccount(input.accountId))) answer = await this.deps.reserve(input);
    if (answer === 'reserved' && input.parts === 1 && this.opts.maxSize > 0 && !this.stopped) this.refill(this.laneFor(input));
    return answer;
  };

  /** Billing's batch reservation, with the same second chance for what it refused while this account held pooled credit. */
  readonly reserveBatch: ReserveBatchPort = async (input) => {
    const answers = await this.deps.reserveBatch(input);
    const refused = input.items.flatMap((item, i) => (answers[i] === 'reserved' ? [] : [i]));
    if (refused.length === 0 || !(await this.releaseAccount(input.accountId))) return answers;
    const again = await this.deps.reserveBatch({ ...input, items: refused.map((i) => input.items[i]!) });
    refused.forEach((i, n) => (answers[i] = again[n]!));
    return answers;
  };

  /** Releases everything held (shutdown: billing gets the credit and quota back at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.sweepers.map((sweeper) => sweeper.stop()));
    await Promise.all([...this.lanes.values()].map((lane) => lane.refilling));
    for (const lane of this.lanes.values()) {
      const ids = lane.ready.splice(0).map((r) => r.id);
      // Billing may be stopping too: what is not given back now keeps its rows, and the
      // leftover sweep of the next process to start gives it back.
      await this.releaseIds(lane.key.accountId, ids).catch((err) =>
        this.deps.logger.warn({ err: String(err), accountId: lane.key.accountId, held: ids.length }, 'could not give pooled reservations back at shutdown; the leftover sweep will'),
      );
    }
  }

  /** Reservations held now (tests, diagnostics). */
  held(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.ready.length;
    return n;
  }

  /** Releases what is past its TTL or its month. */
  async releaseExpired(): Promise<number> {
    const now = Date.now();
    let released = 0;
    for (const [key, lane] of this.lanes) {
      const stale = this.staleCount(lane, now);
      if (stale > 0) {
        released += stale;
        await this.releaseIds(lane.key.accountId, this.expire(lane, stale));
      }
      // A key nobody sends to any more is forgotten; its next single send starts it again.
      if (lane.ready.length === 0 && !lane.refilling && lane.target === this.minTarget()) this.lanes.delete(key);
    }
    const pooled = new Set([...this.lanes.values()].map((lane) => lane.key.accountId));
    for (const [accountId, account] of this.accounts) {
      if (!pooled.has(accountId) && !account.releasing && account.refusedUntil <= now) this.accounts.delete(accountId);
    }
    return released;
  }

  /**
   * After a crash: pooled ids old enough that no process can still hand them out (by the
   * database's clock, the one that stamped them). The store deletes the row of every id it
   * used, so what is left was never taken; the message check guards a row a crash left behind
   * (a scalar subquery, one probe per row: an EXISTS may be planned as a hash of all messages).
   */
  async releaseLeftovers(): Promise<number> {
    let released = 0;
    for (;;) {
      const rows = await this.deps.db.execute<{ id: string; account_id: string; taken: boolean }>(sql`
        select r.id::text, r.account_id, (select true from ${messages} m where m.id = r.id limit 1) is not null as taken
        from ${pooledReservations} r
        where r.created_at < now() - make_interval(secs => ${this.opts.ttlMs / 1000}) - ${LEFTOVER_MARGIN}::interval
        order by r.created_at limit 5000`);
      if (rows.rows.length === 0) return released;
      const byAccount = new Map<string, string[]>();
      for (const r of rows.rows) {
        if (r.taken) continue;
        const ids = byAccount.get(r.account_id);
        if (ids) ids.push(r.id);
        else byAccount.set(r.account_id, [r.id]);
      }
      for (const [accountId, ids] of byAccount) {
        await this.releaseIds(accountId, ids);
        released += ids.length;
      }
      await this.forget(rows.rows.filter((r) => r.taken).map((r) => r.id));
    }
  }

  private laneFor(key: ReserveKey): Lane {
    const id = keyOf(key);
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { key: { accountId: key.accountId, subaccountId: key.subaccountId, country: key.country, carrier: key.carrier }, ready: [], target: this.minTarget() };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  private staleCount(lane: Lane, now: number): number {
    let n = 0;
    while (n < lane.ready.length && lane.ready[n]!.until <= now) n++;
    return n;
  }

  private minTarget(): number {
    return Math.min(MIN_TARGET, this.opts.maxSize);
  }

  private accountOf(accountId: string): AccountState {
    let state = this.accounts.get(accountId);
    if (!state) {
      state = { refusedUntil: 0 };
      this.accounts.set(accountId, state);
    }
    return state;
  }

  /** Takes the first n (stale) reservations out of a lane, which held more than it needed. */
  private expire(lane: Lane, n: number): string[] {
    lane.target = Math.max(this.minTarget(), Math.floor(lane.target / 2));
    return lane.ready.splice(0, n).map((r) => r.id);
  }

  /**
   * Gives back all this account holds here; true when that may have freed credit or quota (ask
   * billing again): whenever the account has a pool here, since a concurrent refusal may be the
   * one that took its reservations out and is giving them back.
   */
  private async releaseAccount(accountId: string): Promise<boolean> {
    const lanes = [...this.lanes.values()].filter((lane) => lane.key.accountId === accountId);
    if (lanes.length === 0) return false;
    const account = this.accountOf(accountId);
    // No refill from now on (one landing meanwhile must not take the credit back), then wait
    // for those on their way (they give back what they reserved, seeing refusedUntil) and give
    // everything back.
    account.refusedUntil = Date.now() + this.opts.ttlMs;
    account.releasing ??= (async () => {
      await Promise.all(lanes.map((lane) => lane.refilling));
      await this.releaseIds(accountId, lanes.flatMap((lane) => lane.ready.splice(0).map((r) => r.id)));
    })().finally(() => {
      account.releasing = undefined;
    });
    await account.releasing;
    return true;
  }

  private refill(lane: Lane): void {
    const now = Date.now();
    if (lane.refilling || this.stopped || now < this.accountOf(lane.key.accountId).refusedUntil) return;
    // More than one refill a second: hold more, so refills come about once a second. Each costs
    // billing a transaction whatever its size, and small frequent ones showed up as bursts of
    // slow single sends.
    if (lane.lastRefill !== undefined && now - lane.lastRefill < REFILL_EVERY_MS) lane.target = Math.min(this.opts.maxSize, lane.target * 2);
    lane.lastRefill = now;
    const wanted = lane.target - lane.ready.length;
    if (wanted <= 0) return;
    // Its own trace: a refill belongs to no caller's request.
    lane.refilling = context
      .with(ROOT_CONTEXT, () => this.reserveAhead(lane, wanted))
      .catch((err) => {
        const account = this.accountOf(lane.key.accountId);
        account.refusedUntil = Math.max(account.refusedUntil, Date.now() + 1_000);
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
    // Before billing is asked: its reservations can be no older than this.
    const asked = Date.now();
    const until = Math.min(asked + this.opts.ttlMs, nextQuotaMonth(new Date(asked)).getTime());
    // Written before billing is asked: a crash in between leaves rows the leftover sweep releases.
    // One array parameter, not one per row (drizzle's multi-row insert built 2 × 256 of them).
    await this.deps.db.execute(sql`insert into ${pooledReservations} (id, account_id) select unnest(${sql.param(ids)}::uuid[]), ${accountId}`);
    let outcomes: Awaited<ReturnType<ReserveBatchPort>>;
    try {
      const useWithinSeconds = Math.ceil((until - asked) / 1000) + STORE_SLACK_SECONDS;
      outcomes = await this.deps.reserveBatch({ accountId, subaccountId, useWithinSeconds, items: ids.map((messageId) => ({ messageId, parts: 1, country, carrier })) });
    } catch (err) {
      // Billing may have reserved them, or may still (the call outlived its deadline, not
      // billing's work): give back whatever it did now, and keep the rows, so the leftover
      // sweep releases them again once no reservation can still be on its way.
      void this.releaseIds(accountId, ids, { keepRows: true }).catch((e) => this.warnRelease(e));
      throw err;
    }
    const account = this.accountOf(accountId);
    const refused = ids.filter((_, i) => outcomes[i] !== 'reserved');
    if (refused.length > 0) {
      // The account is at its limit: what billing did grant goes back too, and until the TTL
      // passes its sends are reserved one by one, as without a pool.
      account.refusedUntil = Date.now() + this.opts.ttlMs;
      await this.forget(refused);
    }
    const reserved = ids.filter((_, i) => outcomes[i] === 'reserved');
    if (this.stopped || Date.now() < account.refusedUntil) await this.releaseIds(accountId, reserved);
    else lane.ready.push(...reserved.map((id) => ({ id, until })));
  }

  /**
   * Gives one account's reservations back to billing, a chunk per call, then forgets them
   * (unless `keepRows`: the leftover sweep is to release them again).
   */
  private async releaseIds(accountId: string, ids: string[], opts: { keepRows?: boolean } = {}): Promise<void> {
    for (let i = 0; i < ids.length; i += RELEASE_CHUNK) {
      const chunk = ids.slice(i, i + RELEASE_CHUNK);
      await this.deps.release(chunk);
      if (!opts.keepRows) await this.forget(chunk);
    }
    if (ids.length > 0) this.deps.logger.debug({ accountId, released: ids.length }, 'pooled reservations released');
  }

  private async forget(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.deps.db.execute(sql`delete from ${pooledReservations} where id = any(${sql.param(ids)}::uuid[])`);
  }

  private warnRelease(err: unknown): void {
    this.deps.logger.warn({ err }, 'releasing pooled reservations failed; the leftover sweep retries');
  }
}

function keyOf(key: ReserveKey): string {
  return `${key.accountId}\u0000${key.subaccountId}\u0000${key.country}\u0000${key.carrier}`;
}
