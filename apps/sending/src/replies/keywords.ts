import type { CustomerSettings } from '../customers/settings';

// The keywords Brazilian users send to stop messages (and the English ones carriers also
// honour); customers add their own in the settings.
export const OPT_OUT_KEYWORDS = ['SAIR', 'PARAR', 'CANCELAR', 'STOP'];
export const OPT_IN_KEYWORDS = ['VOLTAR', 'START'];

export type ReplyAction = 'opt_out' | 'opt_in' | '';

/** "  Sair! " and "sáir" both read SAIR: no accents, no case, no surrounding punctuation. */
export const foldKeyword = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * A reply is a keyword when its whole text is one (as carriers and Twilio do it): "PARAR" opts
 * out, "pode parar de ligar" is just a reply. Opt-out wins if a customer listed a word in both.
 */
export function replyAction(text: string, settings: Pick<CustomerSettings, 'optOutKeywords' | 'optInKeywords'>): ReplyAction {
  const word = foldKeyword(text);
  if (!word) return '';
  const matches = (list: string[]) => list.some((k) => foldKeyword(k) === word);
  if (matches(OPT_OUT_KEYWORDS) || matches(settings.optOutKeywords)) return 'opt_out';
  if (matches(OPT_IN_KEYWORDS) || matches(settings.optInKeywords)) return 'opt_in';
  return '';
}
