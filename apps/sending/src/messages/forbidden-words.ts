// Forbidden words (seed code 207) match whole words, without case or accents: "Cartão" is
// caught by "cartao", but "cartaozinho" is not caught by "cartao".
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function findForbiddenWord(text: string, words: string[]): string | undefined {
  if (words.length === 0) return undefined;
  const folded = fold(text);
  return words.find((word) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(fold(word))}(?![\\p{L}\\p{N}])`, 'u').test(folded));
}
