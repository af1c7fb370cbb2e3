import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../customers/settings';
import { loadCarrierConfig } from '../routing/carrier-config';
import { createRouter } from '../routing/router';
import { SHIPPED_CARRIERS_FILE } from '../routing/shipped-carriers';
import { firstRefusal, type AcceptanceFacts } from './acceptance';
import { findForbiddenWord } from './forbidden-words';

const vivo = createRouter(loadCarrierConfig(SHIPPED_CARRIERS_FILE)).carrier('vivo');
const ok: AcceptanceFacts = { country: 'BR', blocked: false, optedOut: false, text: 'Olá', settings: DEFAULT_SETTINGS, route: vivo };
const code = (f: Partial<AcceptanceFacts>) => firstRefusal({ ...ok, ...f })?.code;
const words = { ...DEFAULT_SETTINGS, forbiddenWords: ['cartão'] };

describe('acceptance rules', () => {
  it.each<[string, Partial<AcceptanceFacts>, number | undefined]>([
    ['a valid Brazilian mobile', {}, undefined],
    ['not a mobile', { country: undefined }, 202],
    ['a blocked number', { blocked: true }, 203],
    ['an opted-out number', { optedOut: true }, 204],
    ['a forbidden word', { text: 'seu CARTAO chegou', settings: words }, 207],
    ['a country not allowed', { country: 'AR' }, 213],
    ['text over the limit', { text: 'x'.repeat(11), settings: { ...DEFAULT_SETTINGS, maxChars: 10 } }, 214],
    ['no carrier route', { route: undefined }, 214],
    ['no route in a forbidden country', { route: undefined, country: 'AR' }, 213],
    // Order: the first failing check wins.
    ['blocked and in a forbidden country', { blocked: true, country: 'AR' }, 203],
    ['invalid and blocked', { country: undefined, blocked: true }, 202],
    ['opted out with a forbidden word', { optedOut: true, text: 'cartão', settings: words }, 204],
    ['forbidden word in a forbidden country', { country: 'AR', text: 'cartão', settings: words }, 207],
  ])('%s → %s', (_, facts, expected) => {
    expect(code(facts)).toBe(expected);
  });

  it('matches whole words without case or accents', () => {
    expect(findForbiddenWord('Seu Cartão foi aprovado', ['cartao'])).toBe('cartao');
    expect(findForbiddenWord('cartaozinho', ['cartão'])).toBeUndefined();
    expect(findForbiddenWord('a.b', ['a.b'])).toBe('a.b');
    expect(findForbiddenWord('axb', ['a.b'])).toBeUndefined();
  });
});
