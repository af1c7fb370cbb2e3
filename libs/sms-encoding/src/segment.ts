import { invariant } from '@sabia/errors';
import { gsm7Septets } from './gsm7';
import { NotGsm7Error } from './gsm7-codec';
import { assertWellFormed } from './ucs2';

export type Encoding = 'GSM7' | 'UCS2';

/**
 * The smallest piece of text a part boundary may not cut, with what it costs: one character
 * (code point). In GSM-7 an extension character is ESC + code, two septets that must stay
 * together; in UCS-2 a character beyond the BMP is a surrogate pair, two units likewise.
 */
export interface Atom {
  text: string;
  cost: number;
}

/** Throws NotGsm7Error (GSM7) or InvalidArgumentError for a lone surrogate (UCS2). */
export function atomsOf(text: string, encoding: Encoding): Atom[] {
  if (encoding === 'UCS2') {
    assertWellFormed(text);
    return Array.from(text, (char) => ({ text: char, cost: char.length }));
  }
  const atoms: Atom[] = [];
  let index = 0;
  for (const char of text) {
    const cost = gsm7Septets(char);
    if (cost === undefined) throw new NotGsm7Error(char, index);
    atoms.push({ text: char, cost });
    index += char.length;
  }
  return atoms;
}

export const costOf = (atoms: readonly Atom[]): number => atoms.reduce((sum, atom) => sum + atom.cost, 0);

/**
 * Greedy fill: each part takes atoms while they fit in `capacity(partIndex)` (1-based). Greedy
 * is optimal here, since atoms keep their order, and it is what handsets and carriers count.
 */
export function fill(atoms: readonly Atom[], capacity: (partIndex: number) => number): string[] {
  const parts: string[] = [];
  let text = '';
  let used = 0;
  for (const atom of atoms) {
    if (used + atom.cost > capacity(parts.length + 1)) {
      // A part too small for one atom would make empty parts forever.
      invariant(used > 0, 'a part must hold at least one character');
      parts.push(text);
      text = '';
      used = 0;
      invariant(atom.cost <= capacity(parts.length + 1), 'a part must hold at least one character');
    }
    text += atom.text;
    used += atom.cost;
  }
  parts.push(text);
  return parts;
}
