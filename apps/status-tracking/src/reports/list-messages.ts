import type { UserPrincipal } from '@sabia/auth';
import type { status as pb } from '@sabia/contracts';
import type { Db } from '@sabia/db';
import { InvalidArgumentError } from '@sabia/errors';
import { and, desc, isNotNull, sql } from 'drizzle-orm';
import { messageStatus } from '../db';
import { filterConditions } from './message-filter';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;

type Cursor = [sentAt: string, messageId: string];

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(token: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/.test(id)) return [at, id];
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('page_token is not one this service gave out', { field: 'page_token' });
}

/**
 * One page of messages, newest first. The cursor is the last row's (sent_at, message_id), so
 * pages stay consistent while new messages arrive and cost the same deep in the list.
 */
export async function listMessages(db: Db, principal: UserPrincipal, req: pb.ListMessagesRequest) {
  const pageSize = req.pageSize === 0 ? DEFAULT_PAGE : req.pageSize;
  if (pageSize > MAX_PAGE) throw new InvalidArgumentError(`page_size is at most ${MAX_PAGE}`, { field: 'page_size' });
  const { where } = filterConditions(principal, req.filter, { periodRequired: false });
  const after = req.pageToken ? decodeCursor(req.pageToken) : undefined;
  const rows = await db
    .select()
    .from(messageStatus)
    .where(
      and(
        where,
        isNotNull(messageStatus.sentAt),
        after ? sql`(${messageStatus.sentAt}, ${messageStatus.messageId}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(messageStatus.sentAt), desc(messageStatus.messageId))
    .limit(pageSize + 1);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return { rows: page, nextPageToken: rows.length > pageSize && last ? encodeCursor([last.sentAt!.toISOString(), last.messageId]) : '' };
}
