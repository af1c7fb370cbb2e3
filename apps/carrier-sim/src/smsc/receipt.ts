// The delivery receipt text of SMPP 3.4 Appendix B, which every SMSC we route to imitates:
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
// The spec calls the format "SMSC vendor specific"; ESMEs parse it with a regex, so field order,
// single spaces and the "text:" field last matter more than the exact widths.

/** message_state TLV values (SMPP 3.4 §5.3.2.35) that the simulator produces. */
export const MESSAGE_STATE = { DELIVERED: 2, UNDELIVERABLE: 5 } as const;

export interface ReceiptFacts {
  messageId: string;
  submittedAt: Date;
  doneAt: Date;
  delivered: boolean;
  /** The submitted text; only its first 20 characters are echoed, as the spec says, without accents. */
  text: string;
}

/** YYMMDDhhmm in UTC. Carriers use their local time; UTC keeps tests independent of TZ. */
export function receiptDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    two(date.getUTCFullYear() % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes())
  );
}

/**
 * The echoed text, reduced to characters that are the same bytes in GSM 03.38 and ASCII, so any
 * ESME reads the receipt alike whatever alphabet it assumes for data_coding 0 (and the smpp package
 * would otherwise encode letters GSM lacks, such as "ó", as 0x00, which reads back as "@").
 */
export function receiptText(text: string): string {
  return text
    .slice(0, 20)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // drop combining accents: "código" → "codigo"
    .replace(/[^A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]/g, '?');
}

export function formatReceipt(facts: ReceiptFacts): string {
  const stat = facts.delivered ? 'DELIVRD' : 'UNDELIV';
  const err = facts.delivered ? '000' : '001';
  const dlvrd = facts.delivered ? '001' : '000';
  return (
    `id:${facts.messageId} sub:001 dlvrd:${dlvrd} ` +
    `submit date:${receiptDate(facts.submittedAt)} done date:${receiptDate(facts.doneAt)} ` +
    `stat:${stat} err:${err} text:${receiptText(facts.text)}`
  );
}

/**
 * Whether the ESME asked for a receipt with this outcome: registered_delivery bits 1..0
 * (SMPP 3.4 §5.2.17): 01 = on success or failure, 10 = on failure only; 11 is reserved in 3.4 and
 * means "success only" in SMPP 5.0, which is how Kannel and most SMSCs treat it.
 */
export function wantsReceipt(registeredDelivery: number, delivered: boolean): boolean {
  switch (registeredDelivery & 0x03) {
    case 0x01:
      return true;
    case 0x02:
      return !delivered;
    case 0x03:
      return delivered;
    default:
      return false;
  }
}
