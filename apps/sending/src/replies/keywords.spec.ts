import { describe, expect, it } from 'vitest';
import { replyAction } from './keywords';

const none = { optOutKeywords: [], optInKeywords: [] };

describe('reply keywords', () => {
  it.each([
    ['SAIR', 'opt_out'], ['sair', 'opt_out'], ['  Sair! ', 'opt_out'], ['Parar.', 'opt_out'], ['cancelar', 'opt_out'], ['STOP', 'opt_out'],
    ['sáir', 'opt_out'], ['VOLTAR', 'opt_in'], ['start', 'opt_in'],
    ['pode parar de mandar', ''], ['SAIR AGORA', ''], ['obrigado', ''], ['', ''], ['!!!', ''],
  ] as const)('%j → %j', (text, action) => {
    expect(replyAction(text, none)).toBe(action);
  });

  it('adds the customer’s own keywords, folded the same way', () => {
    const settings = { optOutKeywords: ['Descadastrar'], optInKeywords: ['QUERO'] };
    expect(replyAction('descadastrar', settings)).toBe('opt_out');
    expect(replyAction('Quero!', settings)).toBe('opt_in');
    expect(replyAction('descadastrar', none)).toBe('');
  });
});
