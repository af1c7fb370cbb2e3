import { InvalidArgumentError } from '@sabia/errors';

/** Keyset pagination over numbers: the token is the last number of the previous page. */
export function pageArgs(pageSize: number, pageToken: string): { limit: number; after: string } {
  const limit = pageSize === 0 ? 100 : pageSize;
  if (limit > 1_000) throw new InvalidArgumentError('page_size must be at most 1000', { field: 'page_size' });
  let after = '';
  if (pageToken) {
    after = Buffer.from(pageToken, 'base64url').toString('utf8');
    if (!/^\+[0-9]{6,15}$/.test(after)) throw new InvalidArgumentError('page_token is not valid', { field: 'page_token' });
  }
  return { limit, after };
}

export function nextToken<T extends { number: string }>(rows: T[], limit: number): string {
  return rows.length === limit ? Buffer.from(rows[rows.length - 1]!.number).toString('base64url') : '';
}

export const MAX_NUMBERS_PER_CALL = 10_000;

export function checkBatchSize(add: string[], remove: string[]): void {
  if (add.length + remove.length > MAX_NUMBERS_PER_CALL) {
    throw new InvalidArgumentError(`at most ${MAX_NUMBERS_PER_CALL} numbers per call`, { field: 'add' });
  }
}
