import { describe, expect, it } from 'vitest';
import { parseReceipt } from './receipt-parse';

describe('parseReceipt', () => {
  it('reads the Appendix B form', () => {
    const r = parseReceipt('id:0a1b2c sub:001 dlvrd:001 submit date:2611220245 done date:2611220246 stat:DELIVRD err:000 text:Ola id:fake');
    expect(r).toEqual({
      id: '0a1b2c',
      stat: 'DELIVRD',
      err: '000',
      submitDate: new Date(Date.UTC(2026, 10, 22, 2, 45)),
      doneDate: new Date(Date.UTC(2026, 10, 22, 2, 46)),
    });
  });

  it('tolerates lower case and missing dates', () => {
    expect(parseReceipt('ID:77 stat:undeliv err:001')).toMatchObject({ id: '77', stat: 'UNDELIV', err: '001', doneDate: undefined });
  });

  it('does not read fields out of the echoed text', () => {
    expect(parseReceipt('sub:001 text:id:123 stat:DELIVRD')).toBeUndefined();
  });
});
