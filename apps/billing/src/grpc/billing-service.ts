import { billing as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { InvalidArgumentError, PermissionDeniedError } from '@sabia/errors';
import type { CallContext, HandlerKit } from '@sabia/grpc-kit';
import type { BillingConfig } from '../config';
import { setBillingCurrency, type CurrencyBook } from '../accounts/currency-book';
import { incidentStatement } from '../incidents/incident-statement';
import { issueCreditNote } from '../invoices/credit-note';
import { draftInvoice } from '../invoices/draft-invoice';
import { finalizeInvoice } from '../invoices/finalize-invoice';
import { getInvoice, listInvoices } from '../invoices/get-invoice';
import { getBalance } from '../ledger/get-balance';
import { getUsage } from '../ledger/get-usage';
import { settleMessages } from '../ledger/settle';
import { exportBilledParts } from '../reconcile/export-billed-parts';
import { reconcileLedger } from '../reconcile/reconcile-ledger';
import { listTransfers } from '../ledger/list-transfers';
import { release } from '../ledger/release';
import { reserve } from '../ledger/reserve';
import { reserveBatch } from '../ledger/reserve-batch';
import { topUp } from '../ledger/top-up';
import { listPrices } from '../prices/list-prices';
import type { PriceBook } from '../prices/price-book';
import { setPrice } from '../prices/set-price';
import { quotaUsage, setQuota, type QuotaBook } from '../quotas/quota-book';

/** An operator names the account; a customer's administrador acts on its own. */
function adminOrOperator(ctx: CallContext, accountId: string, what: string): string {
  if (ctx.principal.kind === 'service') {
    if (!accountId) throw new InvalidArgumentError('account_id is required for an operator');
    return accountId;
  }
  if (ctx.principal.role !== 'administrador') throw new PermissionDeniedError(`only an administrador may ${what}`);
  if (accountId && accountId !== ctx.principal.accountId) throw new PermissionDeniedError(`you may ${what} only for your own account`);
  return ctx.principal.accountId;
}

function toProtoInvoice({ invoice, lines, notes }: Awaited<ReturnType<typeof getInvoice>>): pb.Invoice {
  return {
    id: invoice.id, number: invoice.number ?? 0, issuer: invoice.issuer, accountId: invoice.tenantId, period: invoice.period, kind: invoice.kind,
    status: invoice.status, currency: invoice.currency, total: invoice.total, finalizedAt: invoice.finalizedAt ?? undefined,
    lines: lines.map((l) => ({ subaccountId: l.subaccountId, channel: l.channel, country: l.country, parts: l.parts, amount: l.amount })),
    creditNotes: notes.map((n) => ({ id: n.id, invoiceId: n.invoiceId, amount: n.amount, reason: n.reason, createdAt: n.createdAt })),
  };
}

const OUTCOMES = {
  reserved: pb.ReserveOutcome.RESERVE_OUTCOME_RESERVED,
  no_credit: pb.ReserveOutcome.RESERVE_OUTCOME_NO_CREDIT,
  quota_blocked: pb.ReserveOutcome.RESERVE_OUTCOME_QUOTA_BLOCKED,
} as const;

/** Billing's gRPC adapter: decode → verb → encode. Tenant comes from the token, never the request. */
export function billingService(db: Db, config: BillingConfig, kit: HandlerKit, books: { prices: PriceBook; quotas: QuotaBook; currencies: CurrencyBook }): pb.BillingServiceServer {
  const priceBook = books.prices;
  const tenantOf = (ctx: CallContext) => {
    if (ctx.principal.kind !== 'user') throw new PermissionDeniedError('this call needs a user token');
    return ctx.principal.accountId;
  };
  const currencyOf = (tenant: string) => books.currencies.currencyOf(tenant);
  const smsPrice = async (accountId: string, country: string, carrier: string) =>
    priceBook.priceOf({ accountId, channel: 'sms', country, carrier, currency: await currencyOf(accountId), at: new Date() });
  return {
    reserve: kit.unary(async (req: pb.ReserveRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('Reserve is internal to Sabiá services');
      if (!req.accountId || !req.messageId) throw new InvalidArgumentError('account_id and message_id are required');
      const hours = config.PENDING_TIMEOUT_HOURS;
      const [price, quotaAccountId] = await Promise.all([smsPrice(req.accountId, req.country, req.carrier), books.quotas.accountFor(req.accountId)]);
      const result = await reserve(db, {
        quotaAccountId,
        carrier: req.carrier || undefined,
        subaccountId: req.subaccountId,
        country: req.country,
        tenantId: req.accountId,
        messageId: req.messageId,
        parts: req.parts,
        partPrice: price.unitPrice,
        priceId: price.priceId,
        currency: await currencyOf(req.accountId),
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
        subaccountId: req.subaccountId,
        quotaAccountId: await books.quotas.accountFor(req.accountId),
        items: await (async () => {
          const currency = await currencyOf(req.accountId);
          const price = await priceBook.pricer();
          const at = new Date();
          return req.items.map((i) => {
            const p = price({ accountId: req.accountId, channel: 'sms', country: i.country, carrier: i.carrier, currency, at });
            return { messageId: i.messageId, parts: i.parts, partPrice: p.unitPrice, priceId: p.priceId, carrier: i.carrier || undefined, country: i.country };
          });
        })(),
        currency: await currencyOf(req.accountId),
        timeoutAt: new Date(Date.now() + config.PENDING_TIMEOUT_HOURS * 3600_000),
        usableUntil: req.useWithinSeconds > 0 ? new Date(Date.now() + req.useWithinSeconds * 1000) : undefined,
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
      getBalance(db, tenantOf(ctx), await currencyOf(tenantOf(ctx))),
    ),
    topUp: kit.unary(async (req: pb.TopUpRequest, ctx) => {
      const tenant = tenantOf(ctx);
      if (ctx.principal.kind === 'user' && ctx.principal.role !== 'administrador') {
        throw new PermissionDeniedError('only an administrador may top up');
      }
      if (req.accountId && req.accountId !== tenant) throw new PermissionDeniedError('you may top up only your own account');
      return topUp(db, { tenantId: tenant, amount: req.amount, currency: await currencyOf(tenant), idempotencyKey: req.idempotencyKey });
    }),
    setQuota: kit.unary(async (req: pb.SetQuotaRequest, ctx) => {
      const tenant = adminOrOperator(ctx, req.accountId, 'set the quota');
      if (req.monthlyParts < 0n) throw new InvalidArgumentError('monthly_parts must be 0 (blocked) or more');
      const by = ctx.principal.kind === 'service' ? ctx.principal.service : ctx.principal.userId;
      const quota = await setQuota(db, { tenantId: tenant, monthlyParts: req.monthlyParts, by });
      books.quotas.forget(tenant);
      return { quota };
    }),
    getQuota: kit.unary(async (_req: pb.GetQuotaRequest, ctx) => ({ quota: await quotaUsage(db, tenantOf(ctx)) })),
    getUsage: kit.unary(async (req: pb.GetUsageRequest, ctx) => ({
      rows: await getUsage(db, tenantOf(ctx), { start: req.periodStart, end: req.periodEnd, groupBy: req.groupBy }),
    })),
    settle: kit.unary(async (req: pb.SettleRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('Settle is internal to Sabiá services and operators');
      if (req.action !== 'post' && req.action !== 'void') throw new InvalidArgumentError('action must be post or void', { field: 'action' });
      if (req.messageIds.length === 0 || req.messageIds.length > 10_000) throw new InvalidArgumentError('give 1 to 10,000 message_ids', { field: 'message_ids' });
      const action = req.action;
      const parts = await db.transaction((tx) => settleMessages(tx, new Map(req.messageIds.map((id) => [id, action]))));
      return { parts };
    }),
    reconcile: kit.unary(async (req: pb.ReconcileRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('reconciliation is for Sabiá operators (a service token)');
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(req.period)) throw new InvalidArgumentError(`period must be YYYY-MM, got ${req.period}`, { field: 'period' });
      return reconcileLedger(db, req.period);
    }),
    exportBilledParts: kit.serverStream(async (req: pb.ExportBilledPartsRequest, ctx, send: (m: pb.ExportBilledPartsResponse) => Promise<void>) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('ExportBilledParts is for Sabiá operators (a service token)');
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(req.period)) throw new InvalidArgumentError(`period must be YYYY-MM, got ${req.period}`, { field: 'period' });
      await exportBilledParts(db, { period: req.period, accountId: req.accountId }, (messages) => send({ messages }));
    }),
    draftInvoice: kit.unary(async (req: pb.DraftInvoiceRequest, ctx) => {
      const tenant = adminOrOperator(ctx, req.accountId, 'close a month');
      const id = await draftInvoice(db, { tenantId: tenant, period: req.period, currency: await currencyOf(tenant) });
      return { invoice: toProtoInvoice(await getInvoice(db, tenant, id)) };
    }),
    finalizeInvoice: kit.unary(async (req: pb.FinalizeInvoiceRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('invoices are finalized by Sabiá operators (a service token)');
      const finalized = await finalizeInvoice(db, req.invoiceId);
      return { invoice: toProtoInvoice(await getInvoice(db, finalized.tenantId, finalized.id)) };
    }),
    listInvoices: kit.unary(async (_req: pb.ListInvoicesRequest, ctx) => ({
      invoices: (await listInvoices(db, tenantOf(ctx))).map((invoice) => toProtoInvoice({ invoice, lines: [], notes: [] })),
    })),
    getInvoice: kit.unary(async (req: pb.GetInvoiceRequest, ctx) => ({ invoice: toProtoInvoice(await getInvoice(db, tenantOf(ctx), req.invoiceId)) })),
    issueCreditNote: kit.unary(async (req: pb.IssueCreditNoteRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('credit notes are issued by Sabiá operators (a service token)');
      const note = await issueCreditNote(db, { invoiceId: req.invoiceId, amount: req.amount, reason: req.reason, by: ctx.principal.service });
      return { creditNote: note };
    }),
    getIncidentStatement: kit.unary(async (req: pb.GetIncidentStatementRequest, ctx) => {
      if (!req.incidentId) throw new InvalidArgumentError('incident_id is required');
      return { incidentId: req.incidentId, lines: await incidentStatement(db, tenantOf(ctx), req.incidentId) };
    }),
    setBillingCurrency: kit.unary(async (req: pb.SetBillingCurrencyRequest, ctx) => {
      if (ctx.principal.kind !== 'service') throw new PermissionDeniedError('an account’s currency is set by Sabiá operators (a service token)');
      if (!req.accountId) throw new InvalidArgumentError('account_id is required', { field: 'account_id' });
      const result = await setBillingCurrency(db, { tenantId: req.accountId, currency: req.currency, by: ctx.principal.service });
      books.currencies.forget(req.accountId);
      return result;
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
