import { describe, expect, it } from 'vitest';
import { DELIVERED_STATUS, deliveredStatusFromReceipt, deliveredStatusOfParts, isBillable, SENT_STATUS, sentStatusName, type DeliveredStatusCode } from './index';

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

describe('second level of a multi-part message', () => {
  it.each<[string, number, number[], number | undefined]>([
    ['one part, no receipt yet', 1, [], undefined],
    ['one part delivered', 1, [4], 4],
    ['one part undelivered', 1, [104], 104],
    ['two parts, none answered yet', 2, [], 401],
    ['two parts, one delivered', 2, [4], 401],
    ['two parts, both delivered', 2, [4, 4], 4],
    ['three parts, the second undelivered before the third is known', 3, [4, 104], 104],
  ])('%s → %s', (_, parts, statuses, expected) => {
    expect(deliveredStatusOfParts(parts, statuses as DeliveredStatusCode[])).toBe(expected);
  });
});
