// GSM 03.38 default alphabet and its extension table. Extension characters are sent as
// ESC + char, so each costs two septets.
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
export const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(Array.from(GSM7_BASIC).filter((c) => c !== '\u001b'));
const extension = new Set(Array.from(GSM7_EXTENSION));

/** Septets needed for `text` in GSM-7, or undefined when a character is outside GSM-7. */
export function gsm7Septets(text: string): number | undefined {
  let septets = 0;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extension.has(char)) septets += 2;
    else return undefined;
  }
  return septets;
}
