// Generates drizzle-kit migrations for every service that has a drizzle.config.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
for (const app of readdirSync(join(root, 'apps'))) {
  const config = join('apps', app, 'drizzle.config.ts');
  if (!existsSync(join(root, config))) continue;
  console.log(`db:generate ${app}`);
  execFileSync(join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config], { cwd: root, stdio: 'inherit' });
}
