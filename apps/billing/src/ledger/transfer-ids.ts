// Transfer ids are derived, never random: the same (message, part, phase) always names the
// same transfer, so a redelivered event or a replayed stream hits a primary-key conflict
// instead of billing twice.
export type Phase = 'pending' | 'post' | 'void';

export const transferId = (messageId: string, part: number, phase: Phase): string =>
  `msg:${messageId}:${part}:${phase}`;

export const customerAccountId = (tenantId: string, currency: string) => `customer:${tenantId}:${currency}`;
export const revenueAccountId = (currency: string) => `platform:revenue:${currency}`;
/** Money entering the ledger from outside (top-ups): the other side of every customer credit. */
export const controlAccountId = (currency: string) => `platform:control:${currency}`;
export const topUpTransferId = (tenantId: string, key: string) => `topup:${tenantId}:${key}`;
