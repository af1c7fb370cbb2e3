import { describe, expect, it } from 'vitest';
import { checkImport, importsOf, type Project } from './boundaries';

const projects: Project[] = [
  { name: '@sabia/sending', root: 'apps/sending', tags: ['scope:sending', 'type:app'] },
  { name: '@sabia/billing', root: 'apps/billing', tags: ['scope:billing', 'type:app'] },
  { name: '@sabia/sms-encoding', root: 'libs/sms-encoding', tags: ['scope:shared', 'type:domain'] },
  { name: '@sabia/errors', root: 'libs/errors', tags: ['scope:shared', 'type:domain'] },
  { name: '@sabia/bus', root: 'libs/platform/bus', tags: ['scope:shared', 'type:adapter'] },
  { name: '@sabia/testing', root: 'libs/platform/testing', tags: ['scope:shared', 'type:testing'] },
  { name: '@sabia/billing-rules', root: 'libs/billing-rules', tags: ['scope:billing', 'type:domain'] },
];
const [sending, , encoding] = projects as [Project, Project, Project];
const check = (from: Project, specifier: string, file = `${from.root}/src/x.ts`) =>
  checkImport(from, { file, line: 1, specifier }, projects);

describe('module boundaries', () => {
  it('allows shared libraries through their index', () => {
    expect(check(sending, '@sabia/bus')).toBeUndefined();
    expect(check(sending, '@sabia/sms-encoding')).toBeUndefined();
    expect(check(encoding, '@sabia/errors')).toBeUndefined();
  });

  it('refuses imports of apps, deep paths and other scopes', () => {
    expect(check(sending, '@sabia/billing')).toMatch(/scope:sending may not use|imports the app/);
    expect(check(sending, '@sabia/bus/src/consumer')).toMatch(/deep import/);
    expect(check(sending, '@sabia/billing-rules')).toMatch(/scope:sending may not use/);
    expect(check(encoding, './gsm7')).toBeUndefined();
    expect(check(encoding, '../../apps/sending/src/main')).toMatch(/relative import leaves libs\/sms-encoding/);
  });

  it('keeps domain code free of transports and databases', () => {
    for (const banned of ['@grpc/grpc-js', '@nats-io/jetstream', 'pg', 'drizzle-orm/pg-core']) {
      expect(check(encoding, banned)).toMatch(/domain code may not import/);
    }
    expect(check(encoding, '@sabia/bus')).toMatch(/only use domain or util/);
  });

  it('lets only test files use the testing library', () => {
    expect(check(sending, '@sabia/testing')).toMatch(/for tests only/);
    expect(check(sending, '@sabia/testing', 'apps/sending/src/a.int.spec.ts')).toBeUndefined();
  });

  it('finds static, dynamic and require imports with their lines', () => {
    const src = "import a from 'x';\nconst b = await import('y');\nconst c = require('z');\nimport './side';\nexport { d } from 'w';";
    expect(importsOf('f.ts', src).map((s) => `${s.line}:${s.specifier}`)).toEqual(['1:x', '2:y', '3:z', '4:./side', '5:w']);
  });
});
