import type { Db } from '@sabia/db';
import { checksReader, type ChecksPort } from './read-checks';
import { messageStore, type StorePort } from './store-messages';

/**
 * SendSms's two database steps, each a group commit: calls that arrive while earlier ones are
 * in flight share the next read and the next insert (and commit). Made once per service.
 */
export function singleSendPorts(db: Db): { checks: ChecksPort; store: StorePort } {
  return { checks: checksReader(db), store: messageStore(db) };
}
