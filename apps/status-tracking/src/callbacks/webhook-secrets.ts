import type { Db } from '@sabia/db';
import { uuidv7 } from '@sabia/db';
import { newWebhookSecret } from '@sabia/webhooks';
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { webhookSecrets } from '../db';

export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface ActiveSecret {
  secret: string;
  createdAt: Date;
  expiresAt: Date | null;
}

type Scope = { accountId: string; subaccountId: string };

const lock = (scope: Scope) => sql`select pg_advisory_xact_lock(hashtext(${scope.accountId}), hashtext(${`webhook-secret:${scope.subaccountId}`}))`;

const active = (scope: Scope) =>
  and(
    eq(webhookSecrets.accountId, scope.accountId),
    eq(webhookSecrets.subaccountId, scope.subaccountId),
    or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, sql`now()`)),
  );

/** The secrets that sign this subaccount's callbacks, newest first; the first is made on first use. */
export async function activeSecrets(db: Db, scope: Scope): Promise<ActiveSecret[]> {
  const select = (q: Pick<Db, 'select'>) =>
    q.select({ secret: webhookSecrets.secret, createdAt: webhookSecrets.createdAt, expiresAt: webhookSecrets.expiresAt })
      .from(webhookSecrets)
      .where(active(scope))
      .orderBy(desc(webhookSecrets.createdAt));
  const found = await select(db);
  if (found.length > 0) return found;
  return db.transaction(async (tx) => {
    await tx.execute(lock(scope)); // two first callbacks at once still make one secret
    const again = await select(tx);
    if (again.length > 0) return again;
    await tx.insert(webhookSecrets).values({ id: uuidv7(), ...scope, secret: newWebhookSecret() });
    return select(tx);
  });
}

/** A new secret; the ones in use keep signing for 24 hours more, then stop. */
export async function rotateSecret(db: Db, scope: Scope): Promise<ActiveSecret[]> {
  await db.transaction(async (tx) => {
    await tx.execute(lock(scope));
    await tx
      .update(webhookSecrets)
      .set({ expiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS) })
      .where(and(active(scope), isNull(webhookSecrets.expiresAt)));
    await tx.insert(webhookSecrets).values({ id: uuidv7(), ...scope, secret: newWebhookSecret() });
  });
  return activeSecrets(db, scope);
}
