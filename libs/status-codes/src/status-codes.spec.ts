import { describe, expect, it } from 'vitest';
import { DELIVERED_STATUS, deliveredStatusFromReceipt, isBillable, SENT_STATUS, sentStatusName } from './index';

describe('status codes', () => {
  it('bills SENT_SUCCESS only', () => {
    const billable = Object.values(SENT_STATUS).filter(isBillable);
    expect(billable).toEqual([2]);
  });

  it.each([
    ['DELIVRD', DELIVERED_STATUS.DELIVERED_SUCCESS],
    ['delivrd', DELIVERED_STATUS.DELIVERED_SUCCESS],
    ['UNDELIV', 104],
    ['EXPIRED', 104],
    ['DELETED', 104],
    ['REJECTD', 104],
    ['UNKNOWN', 104],
  ])('maps receipt stat %s to %i', (stat, code) => {
    expect(deliveredStatusFromReceipt(stat)).toBe(code);
  });

  it('leaves intermediate receipt states undecided', () => {
    expect(deliveredStatusFromReceipt('ENROUTE')).toBeUndefined();
    expect(deliveredStatusFromReceipt('ACCEPTD')).toBeUndefined();
  });

  it('names codes as the seed does', () => {
    expect(sentStatusName(204)).toBe('DESTINATION_BLOCKED_BY_OPTOUT');
    expect(sentStatusName(999)).toBe('UNKNOWN_999');
  });
});
