import type { UserPrincipal } from '@sabia/auth';
import { migratedDatabase } from '@sabia/testing';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStatus } from '../db';
import { consolidatedReport } from './consolidated-report';
import { csvField } from './csv';
import { exportMessages } from './export-messages';
import { listMessages } from './list-messages';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
const admin: UserPrincipal = { kind: 'user', accountId: 'acme', subaccountId: 'acme-main', userId: 'ana', role: 'administrador' };
const user: UserPrincipal = { ...admin, subaccountId: 'acme-sales', userId: 'rui', role: 'usuario' };

// 2026-11-01..03, Sao Paulo is UTC-3: a message at 02:00Z on the 2nd belongs to the 1st there.
const at = (iso: string) => new Date(iso);
const seed = [
  { sub: 'acme-main', carrier: 'vivo', sent: 2, delivered: 4, parts: 1, when: '2026-11-01T12:00:00Z' },
  { sub: 'acme-main', carrier: 'vivo', sent: 2, delivered: 4, parts: 2, when: '2026-11-02T02:00:00Z' },
  { sub: 'acme-main', carrier: 'claro', sent: 2, delivered: 104, parts: 1, when: '2026-11-02T12:00:00Z' },
  { sub: 'acme-sales', carrier: 'tim', sent: 2, delivered: null, parts: 1, when: '2026-11-02T13:00:00Z' },
  { sub: 'acme-sales', carrier: '', sent: 203, delivered: null, parts: 1, when: '2026-11-03T10:00:00Z' },
];

beforeAll(async () => {
  database = await migratedDatabase('status', join(__dirname, '../../drizzle'));
  await database.db.insert(messageStatus).values(
    seed.map((s, i) => ({
      messageId: uuidv7(), accountId: 'acme', subaccountId: s.sub, carrier: s.carrier, parts: s.parts,
      sentStatus: s.sent, sentAt: at(s.when), deliveredStatus: s.delivered, deliveredAt: s.delivered ? at(s.when) : null,
      correlationId: i === 0 ? 'pedido "7", urgente' : `c-${i}`, to: `+55119876500${String(i).padStart(2, '0')}`,
    })),
  );
  // Another tenant's message in the same period: never seen below.
  await database.db.insert(messageStatus).values({ messageId: uuidv7(), accountId: 'other', subaccountId: 'x', sentStatus: 2, sentAt: at('2026-11-02T12:00:00Z') });
});
afterAll(() => database.drop());

const period = { periodStart: at('2026-11-01T03:00:00Z'), periodEnd: at('2026-11-04T03:00:00Z') };
const filter = (extra: object = {}) => ({ subaccountId: '', sentStatus: 0, deliveredStatus: 0, correlationId: '', destination: '', carrier: '', ...period, ...extra });

describe('ListMessages', () => {
  it('pages through every message of the account, newest first, without repeats', async () => {
    const seen: string[] = [];
    let token = '';
    do {
      const page = await listMessages(database.db, admin, { filter: filter(), pageSize: 2, pageToken: token });
      seen.push(...page.rows.map((r) => r.to));
      token = page.nextPageToken;
    } while (token);
    expect(seen).toEqual(seed.map((_, i) => `+55119876500${String(i).padStart(2, '0')}`).reverse());
  });

  it('filters, and keeps a plain user inside their own subaccount', async () => {
    expect((await listMessages(database.db, admin, { filter: filter({ carrier: 'vivo' }), pageSize: 0, pageToken: '' })).rows).toHaveLength(2);
    expect((await listMessages(database.db, admin, { filter: filter({ deliveredStatus: 104 }), pageSize: 0, pageToken: '' })).rows).toHaveLength(1);
    expect((await listMessages(database.db, user, { filter: filter(), pageSize: 0, pageToken: '' })).rows.map((r) => r.subaccountId)).toEqual(['acme-sales', 'acme-sales']);
    await expect(listMessages(database.db, user, { filter: filter({ subaccountId: 'acme-main' }), pageSize: 0, pageToken: '' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('refuses a forged page token and a page over 1,000', async () => {
    await expect(listMessages(database.db, admin, { filter: filter(), pageSize: 0, pageToken: 'bm9wZQ' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(listMessages(database.db, admin, { filter: filter(), pageSize: 1001, pageToken: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('consolidated report', () => {
  it('counts per day in the customer’s time zone, subaccount, carrier and status', async () => {
    const report = await consolidatedReport(database.db, admin, { filter: filter(), timeZone: '' });
    expect(report.rows.map((r) => [r.day, r.subaccountId, r.carrier, r.sentStatus, r.deliveredStatus, Number(r.messages), Number(r.parts)])).toEqual([
      ['2026-11-01', 'acme-main', 'vivo', 2, 4, 2, 3], // 02:00Z on the 2nd is still the 1st in São Paulo
      ['2026-11-02', 'acme-main', 'claro', 2, 104, 1, 1],
      ['2026-11-02', 'acme-sales', 'tim', 2, 0, 1, 1],
      ['2026-11-03', 'acme-sales', '', 203, 0, 1, 1],
    ]);
    expect([report.totalMessages, report.totalParts]).toEqual([5n, 6n]);
    const utc = await consolidatedReport(database.db, admin, { filter: filter(), timeZone: 'UTC' });
    expect(utc.rows.filter((r) => r.day === '2026-11-02').length).toBe(3);
  });

  it('needs a period of at most 366 days and a real time zone', async () => {
    await expect(consolidatedReport(database.db, admin, { filter: filter({ periodStart: undefined, periodEnd: undefined }), timeZone: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(consolidatedReport(database.db, admin, { filter: filter({ periodEnd: at('2028-01-01T00:00:00Z') }), timeZone: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(consolidatedReport(database.db, admin, { filter: filter(), timeZone: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone/);
  });
});

describe('detailed CSV export', () => {
  it('streams every row in batches, oldest first, with fields escaped', async () => {
    const chunks: string[] = [];
    const rows = await exportMessages(database.db, admin, { filter: filter() }, async (csv) => void chunks.push(csv));
    expect(rows).toBe(5);
    const lines = chunks.join('').trimEnd().split('\r\n');
    expect(lines[0]).toBe('message_id,subaccount_id,to,correlation_id,carrier,parts,sent_status,sent_status_name,sent_at,delivered_status,delivered_status_name,delivered_at');
    expect(lines[1]).toContain(',"pedido ""7"", urgente",vivo,1,2,SENT_SUCCESS,2026-11-01T12:00:00.000Z,4,DELIVERED_SUCCESS,');
    expect(lines).toHaveLength(6);
  });

  it('reads 12,001 rows in three batches and holds only one at a time', async () => {
    const start = at('2026-12-01T00:00:00Z').getTime();
    await database.db.execute(sql`
      insert into status.message_status (message_id, account_id, subaccount_id, sent_status, sent_at)
      select gen_random_uuid(), 'bulk', 'b', 2, to_timestamp(${start / 1000} + g) from generate_series(1, 12001) g`);
    const bulk: UserPrincipal = { ...admin, accountId: 'bulk', subaccountId: 'b' };
    const chunks: string[] = [];
    const rows = await exportMessages(database.db, bulk, { filter: filter({ periodStart: at('2026-12-01T00:00:00Z'), periodEnd: at('2026-12-02T00:00:00Z') }) }, async (csv) => void chunks.push(csv));
    expect(rows).toBe(12_001);
    expect(chunks).toHaveLength(1 + 3); // the header, then batches of 5,000, 5,000 and 2,001
    const times = chunks.slice(1).join('').trimEnd().split('\r\n').map((l) => l.split(',')[8]);
    expect(times).toEqual([...times].sort());
  });

  it('neutralises spreadsheet formulas in customer text', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+5511987654321')).toBe('+5511987654321');
    expect(csvField('-12')).toBe('-12');
  });
});
