import type { MobileOriginated } from './types';
import type { MoDelivery } from './runtime';

/** TON/NPI of an address (SMPP 3.4 §5.2.5–6): "+" numbers are international E.164, digits ISDN, else alphanumeric. */
function address(value: string): { addr: string; ton: number; npi: number } {
  if (/^\+\d+$/.test(value)) return { addr: value.slice(1), ton: 0x01, npi: 0x01 };
  if (/^\d+$/.test(value)) return { addr: value, ton: 0x00, npi: 0x01 };
  return { addr: value, ton: 0x05, npi: 0x00 };
}

/** A mobile-originated message as the SMSC hands it to the ESME: a plain deliver_sm (esm_class 0x00). */
export function moDelivery(message: MobileOriginated): MoDelivery {
  const from = address(message.from);
  const to = address(message.to);
  return {
    kind: 'mo',
    fields: {
      source_addr_ton: from.ton,
      source_addr_npi: from.npi,
      source_addr: from.addr,
      dest_addr_ton: to.ton,
      dest_addr_npi: to.npi,
      destination_addr: to.addr,
      esm_class: 0x00,
      // data_coding left unset: the smpp package picks GSM 7-bit, Latin-1 or UCS-2 from the text.
      short_message: message.text,
    },
  };
}
