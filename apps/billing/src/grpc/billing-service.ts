import { billing as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { InvalidArgumentError, PermissionDeniedError } from '@sabia/errors';
import type { CallContext, HandlerKit } from '@sabia/grpc-kit';
import type { BillingConfig } from '../config';
import { incidentStatement } from '../incidents/incident-statement';
import { getBalance } from '../ledger/get-balance';
import { listTransfers } from '../ledger/list-transfers';
import { release } from '../ledger/release';
import { reserve } from '../ledger/reserve';
import { reserveBatch } from '../ledger/reserve-batch';
import { topUp } from '../ledger/top-up';
import { listPrices } from '../prices/list-prices';
import type { PriceBook } from '../prices/price-book';
import { setPrice } from '../prices/set-price';
import { quotaUsage, setQuota, type QuotaBook } from '../quotas/quota-book';

const OUTCOMES = {
  reserved: pb.ReserveOutcome.RESERVE_OUTCOME_RESERVED,
  no_credit: pb.ReserveOutcome.RESERVE_OUTCOME_NO_CREDIT,
  quota_blocked: pb.ReserveOutcome.RESERVE_OUTCOME_QUOTA_BLOCKED,
} as const;

/** Billing's gRPC adapter: decode → verb → encode. Tenant comes from the token, never the request. */
export function billingService(db: Db, config: BillingConfig, kit: HandlerKit, books: { prices: PriceBook; quotas: QuotaBook }): pb.BillingServiceServer {
  const priceBook = books.prices;
  const tenantOf = (ctx: CallContext) => {
    if (ctx.principal.kind !== 'user') throw new PermissionDeniedError('this call needs a user token');
    return ctx.principal.accountId;
  };
  const smsPrice = (accountId: string, country: string, carrier: string) =>
    priceBook.priceOf({ accountId, channel: 'sms', country, carrier, currency: config.DEFAULT_CURRENCY, at: new Date() });
  return {
    reserve: kit.unary(async (req: pb.ReserveRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('Reserve is internal to Sabiá services');
      if (!req.accountId || !req.messageId) throw new InvalidArgumentError('account_id and message_id are required');
      const hours = config.PENDING_TIMEOUT_HOURS;
      const [price, quotaAccountId] = await Promise.all([smsPrice(req.accountId, req.country, req.carrier), books.quotas.accountFor(req.accountId)]);
      const result = await reserve(db, {
        quotaAccountId,
        carrier: req.carrier || undefined,
        tenantId: req.accountId,
        messageId: req.messageId,
        parts: req.parts,
        partPrice: price.unitPrice,
        priceId: price.priceId,
        currency: config.DEFAULT_CURRENCY,
        timeoutAt: new Date(Date.now() + hours * 3600_000),
      });
      return {
        outcome: OUTCOMES[result.outcome],
        amount: result.amount,
        currency: result.currency,
      };
    }),
    reserveBatch: kit.unary(async (req: pb.ReserveBatchRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('ReserveBatch is internal to Sabiá services');
      if (!req.accountId) throw new InvalidArgumentError('account_id is required');
      const outcomes = await reserveBatch(db, {
        tenantId: req.accountId,
        quotaAccountId: await books.quotas.accountFor(req.accountId),
        items: await Promise.all(
          req.items.map(async (i) => {
            const price = await smsPrice(req.accountId, i.country, i.carrier);
            return { messageId: i.messageId, parts: i.parts, partPrice: price.unitPrice, priceId: price.priceId, carrier: i.carrier || undefined };
          }),
        ),
        currency: config.DEFAULT_CURRENCY,
        timeoutAt: new Date(Date.now() + config.PENDING_TIMEOUT_HOURS * 3600_000),
      });
      return {
        outcomes: outcomes.map((o) => OUTCOMES[o]),
      };
    }),
    release: kit.unary(async (req: pb.ReleaseRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('Release is internal to Sabiá services');
      return { parts: await release(db, req.messageIds) };
    }),
    getBalance: kit.unary(async (_req: pb.GetBalanceRequest, ctx) =>
      getBalance(db, tenantOf(ctx), config.DEFAULT_CURRENCY),
    ),
    topUp: kit.unary(async (req: pb.TopUpRequest, ctx) => {
      const tenant = tenantOf(ctx);
      if (ctx.principal.kind === 'user' && ctx.principal.role !== 'administrador') {
        throw new PermissionDeniedError('only an administrador may top up');
      }
      if (req.accountId && req.accountId !== tenant) throw new PermissionDeniedError('you may top up only your own account');
      return topUp(db, { tenantId: tenant, amount: req.amount, currency: config.DEFAULT_CURRENCY, idempotencyKey: req.idempotencyKey });
    }),
    setQuota: kit.unary(async (req: pb.SetQuotaRequest, ctx) => {
      let tenant: string;
      if (ctx.principal.kind === 'service') {
        if (!req.accountId) throw new InvalidArgumentError('account_id is required for an operator');
        tenant = req.accountId;
      } else {
        if (ctx.principal.role !== 'administrador') throw new PermissionDeniedError('only an administrador may set the quota');
        if (req.accountId && req.accountId !== ctx.principal.accountId) throw new PermissionDeniedError('you may set only your own account’s quota');
        tenant = ctx.principal.accountId;
      }
      if (req.monthlyParts < 0n) throw new InvalidArgumentError('monthly_parts must be 0 (blocked) or more');
      const by = ctx.principal.kind === 'service' ? ctx.principal.service : ctx.principal.userId;
      const quota = await setQuota(db, { tenantId: tenant, monthlyParts: req.monthlyParts, by });
      books.quotas.forget(tenant);
      return { quota };
    }),
    getQuota: kit.unary(async (_req: pb.GetQuotaRequest, ctx) => ({ quota: await quotaUsage(db, tenantOf(ctx)) })),
    getIncidentStatement: kit.unary(async (req: pb.GetIncidentStatementRequest, ctx) => {
      if (!req.incidentId) throw new InvalidArgumentError('incident_id is required');
      return { incidentId: req.incidentId, lines: await incidentStatement(db, tenantOf(ctx), req.incidentId) };
    }),
    setPrice: kit.unary(async (req: pb.SetPriceRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('prices are set by Sabiá operators (a service token)');
      const p = req.price;
      if (!p) throw new InvalidArgumentError('price is required');
      const stored = await setPrice(
        db,
        { accountId: p.accountId, channel: p.channel, country: p.country, carrier: p.carrier, currency: p.currency || config.DEFAULT_CURRENCY, unitPrice: p.unitPrice, effectiveFrom: p.effectiveFrom ?? new Date(Number.NaN) },
        ctx.principal.service,
      );
      priceBook.invalidate();
      return { price: stored };
    }),
    listPrices: kit.unary(async (req: pb.ListPricesRequest, ctx) => ({ prices: await listPrices(db, tenantOf(ctx), req.channel) })),
    listTransfers: kit.unary(async (req: pb.ListTransfersRequest, ctx) => ({
      transfers: (await listTransfers(db, tenantOf(ctx), req.messageId || undefined)).map((t) => ({
        id: t.id,
        debitAccountId: t.debitAccountId,
        creditAccountId: t.creditAccountId,
        amount: t.amount,
        currency: t.currency,
        kind: t.kind,
        pendingId: t.pendingId ?? '',
        part: t.part ?? 0,
        messageId: t.messageId ?? '',
        createdAt: t.createdAt,
      })),
    })),
  };
}
