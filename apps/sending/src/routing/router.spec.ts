import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCarrierConfig, parseCarrierConfig } from './carrier-config';
import { createRouter } from './router';

const SHIPPED = join(__dirname, '../../../../config/carriers.json');
const shipped = loadCarrierConfig(SHIPPED);
const router = createRouter(shipped);
const routeOf = (n: string, ported?: string) => router.route(n, ported)?.id;

describe('routing by number range', () => {
  it.each([
    ['+5511987654321', 'vivo'],
    ['+5521961234567', 'claro'],
    ['+5531951234567', 'tim'],
    ['+5571985234567', 'oi'], // 55xx985 is more specific than 55xx98
    ['+5543991234567', 'sercomtel'], // 5543991 is more specific than 55xx99
    ['+5534991234567', 'algar'],
    ['+5511970123456', 'nextel'], // 5511970 beats 55xx97
    ['+14155550123', 'intl'],
  ])('%s goes to %s', (number, carrier) => {
    expect(routeOf(number)).toBe(carrier);
  });

  it('has no route for a block no carrier holds', () => {
    expect(routeOf('+5511901234567')).toBeUndefined();
  });

  it('sends a ported number to the carrier it moved to, and ignores a port to an unknown carrier', () => {
    expect(routeOf('+5511987654321', 'tim')).toBe('tim');
    expect(routeOf('+5511987654321', 'gone')).toBe('vivo');
  });

  it('carries each carrier’s capabilities from the file', () => {
    expect(router.carrier('oi')).toMatchObject({ sendsReceipts: false, concatenates: true });
    expect(router.carrier('sercomtel')).toMatchObject({ sendsReceipts: false, concatenates: false, acceptsAccents: false });
    expect(router.carrier('vivo')!.binds[0]).toMatchObject({ systemId: 'vivo', count: 2, window: 10 });
  });

  it('without an international carrier, foreign numbers have no route', () => {
    expect(createRouter({ ...shipped, international: undefined }).route('+14155550123')).toBeUndefined();
  });
});

describe('carrier configuration', () => {
  const carrier = { id: 'vivo', name: 'Vivo', binds: [{ url: 'smpp://h:1', systemId: 'v', passwordEnv: 'VIVO_PW' }] };

  it('reads a bind password from the environment', () => {
    const config = parseCarrierConfig({ carriers: [carrier], ranges: [] }, 'test', { VIVO_PW: 'secret' });
    expect(config.carriers[0]!.binds[0]).toMatchObject({ password: 'secret', count: 1, window: 10, maxPerSecond: 0 });
  });

  it('expands ${NAME:-default} in bind URLs from the environment', () => {
    const withUrl = (url: string, env: NodeJS.ProcessEnv) =>
      parseCarrierConfig({ carriers: [{ ...carrier, binds: [{ url, systemId: 'v', password: 'p' }] }], ranges: [] }, 't', env).carriers[0]!.binds[0]!.url;
    expect(withUrl('smpp://${SIM:-127.0.0.1:2775}', {})).toBe('smpp://127.0.0.1:2775');
    expect(withUrl('smpp://${SIM:-127.0.0.1:2775}', { SIM: 'carrier-sim:2775' })).toBe('smpp://carrier-sim:2775');
    expect(() => withUrl('smpp://${SIM}', {})).toThrow(/binds\.0\.url/);
    expect(loadCarrierConfig(SHIPPED, { SMPP_PASSWORD: 'pw' }).carriers[0]!.binds[0]!.password).toBe('pw');
  });

  it('names every problem at once', () => {
    const bad = {
      carriers: [carrier, { ...carrier, binds: [{ url: 'http://x', systemId: 'v', password: 'p' }] }],
      ranges: [{ prefix: '55xx9', carrier: 'claro' }, { prefix: '55a', carrier: 'vivo' }],
    };
    expect(() => parseCarrierConfig(bad, 'carriers.json', {})).toThrow(/carriers\.1\.binds\.0\.url[\s\S]*ranges\.1\.prefix/);
    const semantic = { carriers: [carrier, carrier], ranges: [{ prefix: '55', carrier: 'claro' }], international: 'intl' };
    expect(() => parseCarrierConfig(semantic, 'carriers.json', {})).toThrow(
      /vivo is listed twice[\s\S]*unknown carrier claro[\s\S]*international: unknown carrier intl[\s\S]*VIVO_PW is not set/,
    );
  });
});
