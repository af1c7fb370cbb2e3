import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfilesFile } from './profiles-file';

const dir = mkdtempSync(join(tmpdir(), 'sim-profiles-'));
const fileWith = (content: unknown) => {
  const path = join(dir, `${Math.random()}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('carrier profiles file', () => {
  it('reads the shipped profiles: eight carriers, Oi and Sercomtel without receipts', () => {
    const accounts = readProfilesFile(join(__dirname, '../../../config/carrier-sim.json'), { password: 'pw', timeScale: 1 });
    expect(accounts.map((a) => a.systemId)).toEqual(['vivo', 'claro', 'tim', 'oi', 'sercomtel', 'algar', 'nextel', 'intl']);
    expect(accounts.filter((a) => !a.profile.sendsReceipts).map((a) => a.systemId)).toEqual(['oi', 'sercomtel']);
    expect(accounts.every((a) => a.password === 'pw')).toBe(true);
  });

  it('scales every delay, so hours become seconds in a test', () => {
    const path = fileWith({ accounts: [{ systemId: 'slow', receiptDelayMs: 3_600_000, receiptDelayMaxMs: 7_200_000, submitDelayMs: 1000 }] });
    const [slow] = readProfilesFile(path, { password: 'pw', timeScale: 0.001 });
    expect(slow!.profile).toMatchObject({ receiptDelayMs: 3600, receiptDelayMaxMs: 7200, submitDelayMs: 1 });
  });

  it('names every bad field, and the file, when the profiles are wrong', () => {
    const path = fileWith({ accounts: [{ systemId: '', deliveredShare: 2, surprise: true }] });
    expect(() => readProfilesFile(path, { password: 'pw', timeScale: 1 })).toThrow(
      new RegExp(`invalid carrier profiles in ${path}[\\s\\S]*accounts\\.0\\.systemId[\\s\\S]*accounts\\.0\\.deliveredShare`),
    );
    expect(() => readProfilesFile(fileWith('{oops'), { password: 'pw', timeScale: 1 })).toThrow(/cannot read carrier profiles/);
  });
});
