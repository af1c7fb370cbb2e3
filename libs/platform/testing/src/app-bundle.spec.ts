import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshAppBundle } from './app-bundle';
import { REPO_ROOT } from './service-process';

describe('freshAppBundle', () => {
  it('bundles our code and libraries, leaves npm packages to require(), once per process, beside the app', () => {
    const orphan = join(REPO_ROOT, 'apps/carrier-sim/dist/main.999999999.0.cjs'); // no such process
    mkdirSync(dirname(orphan), { recursive: true });
    writeFileSync(orphan, '');
    const file = freshAppBundle(REPO_ROOT, 'carrier-sim');
    expect(dirname(file)).toBe(join(REPO_ROOT, 'apps/carrier-sim/dist'));
    expect(freshAppBundle(REPO_ROOT, 'carrier-sim')).toBe(file);
    const code = readFileSync(file, 'utf8');
    expect(code).toMatch(/require\("pino"\)/); // an npm package stays external
    expect(code).not.toMatch(/require\("@sabia\//); // our libraries are inside
    expect(existsSync(orphan)).toBe(false);
  });
});
