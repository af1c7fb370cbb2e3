import { DELIVERED_STATUS } from '@sabia/status-codes';

/** A second level that will not change again: not 401 (a split message waiting for its parts). */
export const isFinalDelivered = (code: number): boolean => code !== DELIVERED_STATUS.MESSAGE_SPLIT;
